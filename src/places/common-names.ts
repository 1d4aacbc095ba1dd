// Unit names that are also ordinary words or phrases, so that finding them in a message proves nothing: "hợp
// đồng", "văn phòng", "trung tâm", "gia đình", "là gì" (thị xã La Gi), virtues and heroes that name hundreds of
// communes and streets. Such a name is trusted only with a unit-type word, "cũ"/"mới" right after it, or a place
// question right next to it. Collected from the project's NLU phrases and knowledge base (words that fold to a
// unit name) and by hand; names shared by five or more units and one-word names are added at build time.

export const COMMON_NAMES: string[] = [
  // ordinary words in citizens' questions about procedures
  'an toàn', 'bàn cờ', 'căn hộ', 'chỉ đạo', 'có nơi', 'công bằng', 'đại diện', 'đồng ý', 'đồng thời', 'gia đình', 'hợp đồng',
  'là gì', 'liên quan', 'phụ trách', 'thiết kế', 'trung tâm', 'tự do', 'văn bản', 'vẫn còn', 'văn hóa', 'văn phòng', 'động đất',
  'bán đất', 'bảng giá', 'cần được', 'ở làm', 'thứ ba', 'nhà mặt', 'định cư', 'nhân quyền', 'tư nhân', 'từ xa', 'thương binh',
  'thuận lợi', 'đồng tiền', 'tiền điện', 'đồng hồ', 'có lẽ', 'có mà', 'cụ một', 'đất đỏ', 'cửa cấn', 'đang đặt', 'bình xa', 'cao thắng',
  'cần kiệm', 'đồng cỏ', 'nam cỏ', 'tư duy', 'thành công', 'bình minh', 'thanh bình', 'hòa hợp', 'hòa thuận', 'kim long', 'đông đô',
  'bến thủy', 'thủy lợi', 'tân tiến', 'tiến bộ', 'tiến thắng', 'tiến lợi', 'hưng thịnh', 'phát triển', 'đoàn kết', 'đồng tâm', 'hợp tác', 'hợp tiến',
  'thắng lợi', 'quyết thắng', 'quyết tiến', 'tiền phong', 'tân lập', 'thống nhất', 'độc lập', 'hòa bình', 'an bình', 'bình an',
  'an hòa', 'hòa an', 'tân phú', 'tân thành', 'tân an', 'an phú', 'phú mỹ', 'bình thạnh', 'tân bình', 'tân hòa', 'hưng đạo',
  'minh khai', 'hồng hà', 'thanh xuân', 'xuân hòa', 'hà nội', 'việt nam', 'trung hòa', 'hữu nghị', 'dân chủ', 'cộng hòa', 'tự lập',
  'nhân hòa', 'nhân nghĩa', 'an lạc', 'phúc lợi', 'hạnh phúc', 'thịnh vượng', 'trường thọ', 'tân dân', 'tân mới', 'nam sách',
  // national heroes and leaders: ward names, and street names in almost every town
  'quang trung', 'trần phú', 'lê lợi', 'nguyễn trãi', 'trần hưng đạo', 'hùng vương', 'lý thường kiệt', 'hai bà trưng', 'lê hồng phong',
  'phan đình phùng', 'hoàng văn thụ', 'nguyễn du', 'lê thánh tông', 'nguyễn huệ', 'lê lai', 'điện biên', 'bạch đằng', 'ngô quyền',
  'đinh tiên hoàng', 'trần quốc toản', 'võ thị sáu', 'lý tự trọng', 'nguyễn văn cừ', 'hoàng hoa thám', 'phan bội châu',
  'phan chu trinh', 'nguyễn thị minh khai', 'lưu vĩnh sơn', 'cao thắng', 'nguyễn trung trực', 'trần quang khải', 'hồ chí minh',
];
