import type { DossierStatus } from '../kb/schemas.js';

// Everything the bot says to citizens, in one place, as a courteous official writes to one: answers, forms,
// hand-off, dossier status and notices, what officials' actions send, the web chat page. Officials and
// translators change wording here only. (Console labels for officials live with the console.)

export const MENU_BUTTONS = [
  { title: 'Tra cứu thủ tục', payload: '#menu:procedures' },
  { title: 'Tình trạng hồ sơ', payload: '#menu:dossier' },
  { title: 'Mô hình CCHC', payload: '#menu:models' },
  { title: 'Liên hệ, giờ làm việc', payload: '#menu:contact' },
  { title: 'Gặp cán bộ', payload: '#menu:human' },
];

export const T = {
  greeting: 'Dạ, chào anh/chị! Em là trợ lý tự động của Bộ phận Một cửa. Em có thể giúp anh/chị tra cứu thủ tục hành chính, xem tình trạng hồ sơ, tìm hiểu các mô hình cải cách hành chính hoặc kết nối với cán bộ. Anh/chị cần hỗ trợ việc gì ạ?',
  help: 'Dạ, anh/chị có thể hỏi em, ví dụ:\n• "Làm giấy khai sinh cần giấy tờ gì?"\n• "Lệ phí đăng ký kết hôn bao nhiêu?"\n• "Hồ sơ 000.00.19.H12-231123-0001 đến đâu rồi?"\n• "Mô hình Ngày thứ năm không hẹn là gì?"\nHoặc chọn một mục bên dưới ạ.',
  welcome: 'Dạ, cảm ơn anh/chị đã quan tâm Trang thông tin của Bộ phận Một cửa. Em là trợ lý tự động, hỗ trợ 24/7 về thủ tục hành chính, tình trạng hồ sơ và các mô hình cải cách hành chính. Anh/chị cần gì cứ nhắn cho em ạ.',
  goodbye: 'Dạ, cảm ơn anh/chị đã liên hệ. Khi cần hỗ trợ thêm, anh/chị cứ nhắn cho em ạ. Chúc anh/chị một ngày tốt lành!',
  outOfScope: 'Dạ, câu hỏi này nằm ngoài phạm vi em hỗ trợ ạ. Em chỉ có thể giúp anh/chị về thủ tục hành chính, tình trạng hồ sơ, các mô hình cải cách hành chính, thông tin liên hệ của Bộ phận Một cửa và nhận phản ánh, kiến nghị (nhắn "phản ánh"). Anh/chị có thể chọn một mục bên dưới hoặc nhắn "gặp cán bộ" để được hỗ trợ trực tiếp.',
  unclearProcedure: 'Dạ, em chưa rõ anh/chị hỏi thủ tục nào. Có phải anh/chị muốn hỏi một trong các thủ tục dưới đây không ạ?',
  askProcedureName: 'Dạ, anh/chị cho em biết tên thủ tục cần tra cứu (ví dụ: "đăng ký khai sinh", "cấp thẻ căn cước", "chứng thực bản sao") ạ.',
  askDossierCode: 'Dạ, anh/chị vui lòng nhắn mã hồ sơ in trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả (ví dụ: 000.00.19.H12-231123-0001) để em tra cứu ạ.',
  dossierNotFound: (code: string) => `Dạ, em chưa tìm thấy hồ sơ có mã ${code}. Anh/chị vui lòng kiểm tra lại mã in ở góc trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả (dòng "Mã hồ sơ"), hoặc tra cứu trên Cổng Dịch vụ công quốc gia. Nếu cần, anh/chị nhắn "gặp cán bộ" để được hỗ trợ ạ.`,
  notACode: 'Dạ, em chưa nhận ra mã hồ sơ trong tin nhắn. Mã hồ sơ có dạng 000.00.19.H12-231123-0001 hoặc H12.22-240115-0007 ạ. Anh/chị nhắn lại mã giúp em, hoặc nhắn "hủy" để hỏi việc khác.',
  lookupLimit: 'Dạ, anh/chị đã tra cứu nhiều lần trong ít phút. Để bảo vệ thông tin hồ sơ, anh/chị vui lòng thử lại sau 10 phút ạ.',
  offerNotify: 'Anh/chị có muốn nhận tin nhắn khi hồ sơ thay đổi trạng thái không ạ?',
  cancelled: 'Dạ, em đã hủy thao tác. Anh/chị cần hỗ trợ gì khác ạ?',
  modelsIntro: 'Dạ, một số mô hình cải cách hành chính tiêu biểu đang được nhân rộng:',
  modelsOfLocality: (place: string) => `Dạ, các mô hình cải cách hành chính ở ${place}:`,
  noModelsOfLocality: (place: string) => `Dạ, em chưa có thông tin mô hình cải cách hành chính nào ở ${place} ạ.`,
  modelNotFound: 'Dạ, em chưa xác định được mô hình anh/chị hỏi. Anh/chị có thể chọn một mô hình bên dưới hoặc nêu tên địa phương (ví dụ: "Sa Đéc có mô hình gì") ạ.',
  noContact: 'Dạ, hiện em chưa có thông tin liên hệ. Anh/chị vui lòng liên hệ trực tiếp Ủy ban nhân dân xã, phường nơi cư trú ạ.',
  nonText: 'Dạ, em đã nhận được tệp/hình ảnh anh/chị gửi. Hiện em chỉ đọc được tin nhắn chữ; nếu đây là tài liệu cho phản ánh hoặc hồ sơ, cán bộ sẽ xem khi tiếp nhận. Anh/chị nhắn câu hỏi giúp em ạ.',
  sticker: 'Dạ 😊 Anh/chị cần em hỗ trợ gì về thủ tục hành chính ạ?',
  location: 'Dạ, em đã nhận vị trí anh/chị gửi. Nếu anh/chị muốn đăng ký cán bộ phục vụ tại nhà, nhắn "phục vụ tại nhà" giúp em ạ.',
  menuProcedures: 'Dạ, anh/chị chọn thủ tục thường gặp bên dưới, hoặc nhắn tên thủ tục cần tra cứu ạ.',
  unsubscribed: 'Dạ, em đã dừng gửi thông báo về hồ sơ cho anh/chị ạ.',
  noSubscription: 'Dạ, anh/chị hiện không đăng ký nhận thông báo hồ sơ nào ạ.',
  homeCancelledByCitizen: (code: string) => `Dạ, em đã hủy yêu cầu phục vụ tại nhà ${code} ạ.`,
  homeNotFound: (code: string) => `Dạ, em không tìm thấy yêu cầu ${code} của anh/chị còn hiệu lực ạ.`,
  ticketNotFound: (code: string) => `Dạ, em không tìm thấy phản ánh ${code} do anh/chị gửi qua kênh này ạ.`,
  ticketAnswered: (code: string, answer: string) => `Dạ, phản ánh ${code} đã có trả lời: ${answer}`,
  ticketOpen: (code: string, due: string) => `Dạ, phản ánh ${code} đang được xử lý, hạn trả lời ${due} ạ.`,
  modelsPick: 'Anh/chị chọn mô hình để xem chi tiết ạ.',
  staleButton: 'Dạ, bước này đã kết thúc nên nút vừa bấm không còn tác dụng. Anh/chị cần hỗ trợ gì ạ?',
} as const;

/** Answers composed from the knowledge base (src/bot/answers.ts). */
export const ANSWER_TEXTS = {
  contact: {
    intro: (name: string) => `Dạ, thông tin liên hệ ${name}:`,
    line: (label: string, value: string) => `• ${label}: ${value}`,
    address: 'Địa chỉ', phone: 'Điện thoại', hotline: 'Đường dây nóng', email: 'Email', hours: 'Giờ làm việc', website: 'Trang thông tin',
    others: 'Các đơn vị khác:',
    call: 'Gọi điện',
  },
} as const;

/** Menu and button titles (at most 20 characters: Messenger's limit). */
export const BUTTONS = {
  cancel: 'Hủy',
  menu: 'Menu',
  skip: 'Bỏ qua',
  send: 'Gửi',
  edit: 'Sửa',
  yes: 'Đồng ý',
  no: 'Không',
  otherModels: 'Mô hình khác',
  procedures: 'Tra cứu thủ tục',
  featuredModels: 'Mô hình tiêu biểu',
  subscribe: 'Nhận thông báo',
  rate: 'Đánh giá',
  human: 'Gặp cán bộ',
  stopNotices: 'Ngừng thông báo',
  cancelHome: 'Hủy yêu cầu',
  cancelVisit: 'Hủy lịch',
  leaveMessage: 'Để lại lời nhắn',
  cancelHandoff: 'Hủy gặp cán bộ',
  prove: 'Xác nhận chủ hồ sơ',
} as const;

/** Forms: the questions, what is asked again when an answer does not fit (always with an example), the summaries. */
export const FORM_TEXTS = {
  left: (what: string) => `Dạ, em đã dừng ${what}; thông tin anh/chị nhập chưa được lưu. Anh/chị cần hỗ trợ gì khác ạ?`,
  stillIn: (what: string) => `Anh/chị đang ${what}.`,
  howToLeave: 'Nếu không muốn tiếp tục, anh/chị nhắn "hủy" ạ.',
  confirmHow: 'Anh/chị bấm "Gửi" nếu thông tin đã đúng, "Sửa" để sửa, hoặc "Hủy" để dừng ạ.',
  whichField: 'Dạ, anh/chị muốn sửa thông tin nào ạ?',
  summaryIntro: 'Dạ, em xin đọc lại thông tin để anh/chị kiểm tra:',
  none: '(không có)',
  tooLong: (max: number) => `Dạ, nội dung dài quá ${max.toLocaleString('vi-VN')} ký tự. Anh/chị rút gọn giúp em, những chi tiết cần thiết cán bộ sẽ hỏi thêm ạ.`,
  attachmentNoted: 'Dạ, em đã nhận hình ảnh/vị trí, sẽ gửi kèm cho cán bộ.',
  limitAddress: 'Dạ, từ địa chỉ mạng này đã có nhiều yêu cầu trong hôm nay. Để cán bộ kịp xử lý, anh/chị vui lòng gửi lại vào ngày mai hoặc liên hệ trực tiếp Bộ phận Một cửa ạ.',
  home: {
    title: 'đăng ký phục vụ tại nhà',
    intro: 'Dạ, Bộ phận Một cửa có cán bộ đến tận nhà tiếp nhận hồ sơ và trả kết quả cho người cao tuổi, người khuyết tật, người ốm đau không tự đi lại được.',
    askName: 'Anh/chị cho em xin họ và tên người cần hỗ trợ ạ (ví dụ: Nguyễn Thị Hoa).',
    askNameShare: 'Anh/chị cho em xin họ và tên người cần hỗ trợ (ví dụ: Nguyễn Thị Hoa), hoặc bấm "Chia sẻ thông tin" để gửi họ tên, số điện thoại, địa chỉ của tài khoản Zalo ạ.',
    retryName: 'Dạ, em chưa nhận ra họ và tên. Anh/chị nhắn đầy đủ họ và tên, ví dụ: Nguyễn Thị Hoa ạ.',
    askPhone: 'Dạ, anh/chị cho em xin số điện thoại để cán bộ gọi hẹn lịch ạ (ví dụ: 0912 345 678).',
    askPhoneShare: 'Dạ, anh/chị cho em xin số điện thoại để cán bộ gọi hẹn lịch (ví dụ: 0912 345 678), hoặc bấm "Chia sẻ thông tin" ạ.',
    retryPhone: 'Dạ, số điện thoại chưa đúng. Số di động có 10 chữ số, ví dụ: 0912 345 678 hoặc +84 912 345 678. Anh/chị nhắn lại giúp em ạ.',
    askAddress: 'Dạ, anh/chị cho em xin địa chỉ nơi ở (số nhà, đường/thôn, xã/phường), ví dụ: 12 Nguyễn Huệ, phường 1 ạ.',
    retryAddress: 'Dạ, địa chỉ chưa đủ để cán bộ tìm đến. Anh/chị nhắn số nhà, đường/thôn, xã/phường, ví dụ: 12 Nguyễn Huệ, phường 1; hoặc gửi vị trí ạ.',
    askProcedure: 'Dạ, anh/chị cần làm thủ tục gì ạ? (ví dụ: chứng thực, trợ cấp người cao tuổi, khai tử)',
    retryProcedure: 'Dạ, anh/chị nhắn tên thủ tục cần làm, ví dụ: chứng thực bản sao, đăng ký khai tử ạ.',
    askReason: 'Anh/chị chọn lý do người cần hỗ trợ không đến trực tiếp được để gửi yêu cầu, hoặc bấm "Sửa" nếu thông tin chưa đúng ạ.',
    askReasonText: 'Dạ, anh/chị nhắn ngắn gọn lý do người cần hỗ trợ không đến trực tiếp được ạ.',
    retryReason: 'Dạ, anh/chị nhắn lý do bằng vài chữ, ví dụ: "đang nằm viện", hoặc chọn một lý do bên dưới ạ.',
    askDate: 'Dạ, anh/chị muốn cán bộ đến vào ngày nào ạ? Anh/chị nhắn ngày/tháng, ví dụ: 20/5/2026 hoặc "ngày mai".',
    retryDate: 'Dạ, em chưa đọc được ngày. Anh/chị nhắn theo dạng ngày/tháng/năm, ví dụ: 20/5/2026, hoặc "ngày mai"; ngày phải từ hôm nay trở đi ạ.',
    reasons: ['Người cao tuổi', 'Người khuyết tật', 'Đang ốm, bệnh'],
    otherReason: 'Lý do khác',
    labels: { name: 'Họ và tên', phone: 'Điện thoại', address: 'Địa chỉ', procedure: 'Thủ tục', reason: 'Lý do', date: 'Ngày mong muốn' },
    dateByCall: 'cán bộ gọi hẹn',
    saved: (code: string) => `Dạ, em đã ghi nhận yêu cầu phục vụ tại nhà, mã ${code}. Cán bộ sẽ gọi điện cho anh/chị để hẹn ngày giờ; khi có lịch em sẽ nhắn lại. Nếu muốn hủy, anh/chị nhắn "hủy lịch ${code}" ạ.`,
    perDay: (n: number) => `Dạ, hôm nay anh/chị đã gửi ${n} yêu cầu phục vụ tại nhà. Cán bộ sẽ gọi lại theo các yêu cầu đã gửi; nếu cần gấp, anh/chị nhắn "gặp cán bộ" ạ.`,
  },
  feedback: {
    title: 'gửi phản ánh, kiến nghị',
    askContent: 'Dạ, anh/chị vui lòng nêu nội dung phản ánh, kiến nghị (sự việc, thời gian, địa điểm). Anh/chị có thể gửi kèm hình ảnh hoặc vị trí ạ.',
    retryContent: 'Dạ, anh/chị nêu rõ hơn nội dung phản ánh bằng chữ, ví dụ: "Đèn đường ở tổ 3 bị hỏng từ tuần trước" ạ.',
    askCode: 'Dạ, nếu phản ánh liên quan đến một hồ sơ, anh/chị nhắn mã hồ sơ (ví dụ: 000.00.19.H12-231123-0001); nếu không, bấm "Bỏ qua" ạ.',
    contentNoted: 'Dạ, em đã ghi lại ý kiến anh/chị vừa gửi để chuyển cán bộ.',
    retryCode: 'Dạ, em chưa nhận ra mã hồ sơ. Mã có dạng 000.00.19.H12-231123-0001; anh/chị nhắn lại mã hoặc bấm "Bỏ qua" ạ.',
    askConsent: 'Anh/chị có đồng ý để cán bộ liên hệ lại qua kênh này để trao đổi thêm không ạ? Anh/chị chọn để gửi phản ánh, hoặc bấm "Sửa" nếu cần sửa.',
    sendConsent: 'Gửi, được liên hệ',
    sendNoContact: 'Gửi, không liên hệ',
    labels: { content: 'Nội dung', code: 'Mã hồ sơ', attachments: 'Tệp đính kèm' },
    attachments: (n: number) => `${n} hình ảnh/tệp`,
    saved: (code: string, due: string, days: number) => `Dạ, em đã tiếp nhận phản ánh, kiến nghị của anh/chị với mã ${code}. Cơ quan sẽ trả lời trước ngày ${due} (${days} ngày làm việc). Anh/chị có thể nhắn mã ${code} để xem tình trạng xử lý ạ.`,
    perDay: (n: number) => `Dạ, hôm nay anh/chị đã gửi ${n} phản ánh. Để cán bộ kịp xử lý, anh/chị vui lòng gửi thêm vào ngày mai, hoặc nhắn "gặp cán bộ" nếu việc gấp ạ.`,
  },
  rating: {
    title: 'đánh giá mức độ hài lòng',
    askScore: 'Dạ, anh/chị vui lòng chấm điểm mức độ hài lòng với việc giải quyết hồ sơ (1: rất không hài lòng – 5: rất hài lòng) ạ.',
    askScoreFor: (code: string) => `Dạ, anh/chị vui lòng chấm điểm mức độ hài lòng với việc giải quyết hồ sơ ${code} (1: rất không hài lòng – 5: rất hài lòng) ạ.`,
    retryScore: 'Dạ, anh/chị chọn số điểm từ 1 đến 5 (ví dụ: 5 hoặc "rất hài lòng") giúp em ạ.',
    askComment: (score: number) => `Dạ, em cảm ơn anh/chị đã chấm ${score} ⭐. Anh/chị có góp ý thêm không ạ? Anh/chị nhắn góp ý, hoặc bấm "Gửi đánh giá" để gửi ngay.`,
    retryComment: 'Dạ, anh/chị nhắn góp ý bằng chữ (tối đa 2.000 ký tự), hoặc bấm "Gửi đánh giá" ạ.',
    sendNow: 'Gửi đánh giá',
    editScore: 'Sửa điểm',
    labels: { score: 'Điểm', comment: 'Góp ý', code: 'Hồ sơ' },
    saved: 'Dạ, em đã ghi nhận đánh giá của anh/chị. Ý kiến của anh/chị giúp Bộ phận Một cửa phục vụ tốt hơn. Cảm ơn anh/chị ạ!',
    perDay: 'Dạ, hôm nay anh/chị đã gửi nhiều đánh giá; em xin ghi nhận các đánh giá trước đó ạ.',
  },
  subscribe: {
    title: 'đăng ký nhận thông báo hồ sơ',
    askCode: 'Dạ, anh/chị nhắn mã hồ sơ cần nhận thông báo (ví dụ: 000.00.19.H12-231123-0001) ạ.',
    retryCode: 'Dạ, em chưa nhận ra mã hồ sơ. Mã có dạng 000.00.19.H12-231123-0001; anh/chị nhắn lại giúp em, hoặc nhắn "hủy" ạ.',
    notFound: (code: string) => `Dạ, em chưa tìm thấy hồ sơ có mã ${code}. Anh/chị kiểm tra lại mã in trên Giấy tiếp nhận hồ sơ giúp em ạ.`,
    saved: (code: string, status: string) => `Dạ, em đã ghi nhận. Khi hồ sơ ${code} thay đổi trạng thái (hiện tại: ${status}), em sẽ nhắn cho anh/chị ngay. Nhắn "hủy thông báo" nếu anh/chị không muốn nhận nữa ạ.`,
  },
  leaveMessage: {
    title: 'để lại lời nhắn cho cán bộ',
    askContent: 'Dạ, anh/chị nhắn nội dung cần cán bộ hỗ trợ (việc gì, hồ sơ nào nếu có). Em sẽ chuyển thành phản ánh có mã để cán bộ trả lời anh/chị ạ.',
    retryContent: 'Dạ, anh/chị nhắn nội dung bằng chữ, ví dụ: "Tôi cần hỏi về hồ sơ đăng ký đất đai nộp tuần trước" ạ.',
  },
  prove: {
    title: 'xác nhận chủ hồ sơ',
    askShare: (code: string) => `Dạ, để bảo vệ thông tin hồ sơ ${code}, em cần xác nhận anh/chị là người nộp. Anh/chị bấm "Chia sẻ thông tin" để gửi số điện thoại của tài khoản Zalo; nếu trùng số điện thoại ghi trên hồ sơ, em sẽ báo đầy đủ ạ.`,
    shareTitle: 'Xác nhận chủ hồ sơ',
    shareSubtitle: 'Gửi số điện thoại của tài khoản Zalo để đối chiếu với hồ sơ',
    retryShare: 'Dạ, anh/chị bấm nút "Chia sẻ thông tin" để gửi số điện thoại của tài khoản Zalo giúp em, hoặc nhắn "hủy" ạ.',
    mismatch: 'Dạ, số điện thoại anh/chị chia sẻ không trùng với số ghi trên hồ sơ, nên em chưa thể báo chi tiết. Anh/chị liên hệ Bộ phận Một cửa (mang Giấy tiếp nhận hồ sơ) để được hỗ trợ ạ.',
    proven: (code: string) => `Dạ, em đã xác nhận anh/chị là người nộp hồ sơ ${code}.`,
    askOtp: (tail: string) => `Dạ, em đã gửi mã xác nhận 6 chữ số bằng tin nhắn SMS đến số điện thoại ghi trên hồ sơ (số có đuôi ${tail}). Anh/chị nhắn mã đó cho em giúp (mã có hiệu lực 10 phút) ạ.`,
    retryOtp: 'Dạ, mã xác nhận gồm 6 chữ số, ví dụ: 123456. Anh/chị nhắn lại mã trong tin nhắn SMS, bấm "Gửi lại mã", hoặc nhắn "hủy" ạ.',
    wrongOtp: 'Dạ, mã chưa đúng.',
    expiredOtp: 'Dạ, mã đã hết hiệu lực; em gửi mã mới.',
    tooManyOtp: 'Dạ, anh/chị đã nhập sai mã nhiều lần nên em dừng xác nhận. Anh/chị thử lại sau, hoặc mang Giấy tiếp nhận hồ sơ đến Bộ phận Một cửa ạ.',
    otpLimit: 'Dạ, mã xác nhận cho hồ sơ này đã được gửi nhiều lần trong giờ qua. Anh/chị vui lòng thử lại sau ạ.',
    resend: 'Gửi lại mã',
    /** The SMS itself: without diacritics (one SMS part, every phone shows it). */
    sms: (code: string, otp: string) => `Ma xac nhan ho so ${code}: ${otp}. Hieu luc 10 phut. Khong dua ma nay cho nguoi khac.`,
  },
} as const;

/** Hand-off to officials: asking, waiting, leaving, being handed back. */
export const HANDOFF_TEXTS = {
  requested: (wait: number, ahead: number) => `Dạ, em đã chuyển cuộc trò chuyện đến cán bộ Bộ phận Một cửa. Thời gian chờ dự kiến khoảng ${wait} phút${ahead > 0 ? ` (trước anh/chị còn ${ahead} người đang chờ)` : ''}. Trong lúc chờ, anh/chị cứ nhắn nội dung cần hỏi, cán bộ sẽ đọc được; câu hỏi về thủ tục em vẫn trả lời ngay. Nếu không cần gặp cán bộ nữa, anh/chị nhắn "hủy" ạ.`,
  requestedNearClose: (back: string) => `Dạ, em đã chuyển cuộc trò chuyện đến cán bộ Bộ phận Một cửa. Sắp hết giờ làm việc nên cán bộ có thể trả lời anh/chị muộn nhất vào ${back}. Trong lúc chờ, anh/chị cứ nhắn nội dung cần hỏi; nếu không cần nữa, anh/chị nhắn "hủy" ạ.`,
  outOfHours: (back: string, hours: string) => `Dạ, em đã chuyển cuộc trò chuyện đến cán bộ Bộ phận Một cửa, nhưng hiện đang ngoài giờ làm việc (${hours}; nghỉ các ngày lễ, Tết). Cán bộ sẽ làm việc lại từ ${back}. Anh/chị có thể để lại lời nhắn (em chuyển thành phản ánh có mã để cán bộ trả lời), hoặc tiếp tục hỏi em về thủ tục, hồ sơ ạ.`,
  already: 'Dạ, yêu cầu gặp cán bộ của anh/chị đã được chuyển và đang chờ cán bộ tiếp nhận. Anh/chị cứ nhắn nội dung cần hỏi; nhắn "hủy" nếu không cần nữa ạ.',
  cancelled: 'Dạ, em đã hủy yêu cầu gặp cán bộ. Em tiếp tục hỗ trợ anh/chị; anh/chị cần gì cứ nhắn ạ.',
  stillQueued: 'Yêu cầu gặp cán bộ của anh/chị vẫn đang chờ; nhắn "hủy" nếu không cần nữa ạ.',
  hold: (wait: number) => `Dạ, cán bộ đang bận, em đã báo cán bộ trực để hỗ trợ anh/chị sớm nhất. Anh/chị vui lòng chờ thêm khoảng ${wait} phút, hoặc để lại lời nhắn để cán bộ trả lời sau ạ.`,
  holdOutOfHours: (back: string) => `Dạ, hiện ngoài giờ làm việc; cán bộ sẽ đọc tin nhắn của anh/chị khi làm việc lại từ ${back}. Anh/chị có thể để lại lời nhắn để được trả lời bằng phản ánh có mã ạ.`,
  holdActive: 'Dạ, cán bộ đã nhận tin nhắn của anh/chị và sẽ trả lời trong ít phút nữa ạ.',
  returned: 'Dạ, hiện chưa có cán bộ trả lời được anh/chị, em thành thật xin lỗi. Em tiếp tục hỗ trợ anh/chị tự động; anh/chị có thể để lại lời nhắn để cán bộ trả lời sau bằng phản ánh có mã, hoặc gọi điện cho Bộ phận Một cửa trong giờ làm việc ạ.',
  handback: 'Dạ, cán bộ đã hoàn tất hỗ trợ. Em tiếp tục hỗ trợ anh/chị tự động; anh/chị cần gì cứ nhắn ạ.',
  ticketFromHandoff: (code: string) => `Dạ, em đã chuyển lời nhắn của anh/chị cho cán bộ thành phản ánh mã ${code}; cán bộ sẽ trả lời qua kênh này. Em tiếp tục hỗ trợ anh/chị tự động ạ.`,
} as const;

/** What officials' actions in the console send the citizen (src/services/routes.ts). */
export const SERVICE_TEXTS = {
  ticketAnswer: (code: string, answer: string) => `Dạ, cơ quan đã trả lời phản ánh ${code}: ${answer}`,
  homeScheduled: (code: string, time: string, date: string) => `Dạ, cán bộ Bộ phận Một cửa sẽ đến phục vụ tại nhà theo yêu cầu ${code} lúc ${time} ngày ${date}. Nếu không tiện, anh/chị bấm "Hủy lịch" hoặc nhắn "hủy lịch ${code}" ạ.`,
  homeCancelled: (code: string, reason?: string) => `Dạ, Bộ phận Một cửa đã hủy yêu cầu phục vụ tại nhà ${code}${reason ? ` (lý do: ${reason})` : ''}. Nếu vẫn cần hỗ trợ, anh/chị nhắn "phục vụ tại nhà" để đăng ký lại hoặc "gặp cán bộ" ạ.`,
} as const;

/** The web chat page (public/chat): its labels come from here through GET /api/chat/messages?all=1. */
export const WEB_CHAT_TEXTS = {
  tooManySessions: 'Dạ, từ địa chỉ mạng này đã mở nhiều phiên trò chuyện trong giờ qua. Anh/chị vui lòng thử lại sau ít phút ạ.',
  labels: {
    official: 'Cán bộ Bộ phận Một cửa',
    bot: 'Trợ lý tự động',
    failed: 'Chưa gửi được — thử lại',
    retry: 'Thử lại',
    sending: 'Đang gửi…',
    offline: 'Mất kết nối mạng. Tin nhắn sẽ được gửi khi anh/chị bấm "Thử lại".',
    waiting: 'Trợ lý đang trả lời…',
  },
} as const;

/** Small talk, emoji and messages in English, answered before the NLU. */
export const SMALL_TALK = {
  emoji: 'Dạ 😊 Em là trợ lý của Bộ phận Một cửa. Anh/chị cần em hỗ trợ gì về thủ tục hành chính, hồ sơ ạ?',
  identity: 'Dạ, em là trợ lý tự động (chatbot) của Bộ phận Một cửa, không phải người ạ. Em trả lời về thủ tục hành chính, tình trạng hồ sơ, các mô hình cải cách hành chính; khi cần, anh/chị nhắn "gặp cán bộ" để được cán bộ hỗ trợ trực tiếp.',
  name: 'Dạ, em là trợ lý tự động của Bộ phận Một cửa, anh/chị cứ gọi em là "trợ lý" ạ. Em giúp được gì cho anh/chị ạ?',
  laugh: 'Dạ 😊 Anh/chị cần em hỗ trợ thêm gì cứ nhắn ạ.',
  ack: 'Dạ vâng ạ. Anh/chị cần hỗ trợ thêm gì cứ nhắn cho em ạ.',
  howAreYou: 'Dạ, em vẫn sẵn sàng hỗ trợ anh/chị ạ 😊 Anh/chị cần tra cứu thủ tục hay hồ sơ nào ạ?',
  offTopic: 'Dạ, em chỉ hỗ trợ được về thủ tục hành chính, tình trạng hồ sơ, các mô hình cải cách hành chính và thông tin liên hệ của Bộ phận Một cửa, nên không trả lời được câu này ạ. Anh/chị chọn một mục bên dưới nhé.',
  english: 'Hello! This assistant answers in Vietnamese only. It can look up administrative procedures (documents, fees, processing time), check a dossier\'s status by its code, and connect you with an official: tap a button below, or write "gặp cán bộ" (talk to an official).',
} as const;


export const ASPECT_LABELS = {
  documents: 'Thành phần hồ sơ',
  fee: 'Phí, lệ phí',
  duration: 'Thời hạn giải quyết',
  place: 'Nơi nộp',
  online: 'Nộp trực tuyến',
  forms: 'Mẫu đơn, tờ khai',
  legal: 'Căn cứ pháp lý',
  eligibility: 'Đối tượng, điều kiện',
} as const;

/** A procedure's answer, aspect by aspect (src/bot/procedure-answer.ts). */
export const PROCEDURE_TEXTS = {
  documentsIntro: (name: string) => `Dạ, hồ sơ thủ tục "${name}" gồm:`,
  noDocumentsToSubmit: (name: string) => `Dạ, thủ tục "${name}" không yêu cầu nộp giấy tờ.`,
  documentsToShow: 'Giấy tờ xuất trình khi làm thủ tục:',
  formsIntro: 'Mẫu đơn, tờ khai:',
  feeIntro: (name: string) => `Dạ, phí, lệ phí thủ tục "${name}":`,
  feeByProvince: 'Mức thu cụ thể do Hội đồng nhân dân cấp tỉnh quyết định nên có thể khác nhau giữa các tỉnh; anh/chị hỏi Bộ phận Một cửa nơi nộp hồ sơ để biết mức chính xác ạ.',
  feeByProvinceShort: '(mức thu do HĐND cấp tỉnh quy định)',
  durationIntro: (name: string) => `Dạ, thời hạn giải quyết thủ tục "${name}":`,
  placeIntro: (name: string) => `Dạ, anh/chị nộp hồ sơ "${name}" tại:`,
  placeOffice: (name: string) => `Dạ, thủ tục "${name}" do cơ quan sau giải quyết:`,
  office: 'Cơ quan thực hiện',
  competentBody: 'Cơ quan có thẩm quyền',
  howToSubmit: 'Cách thức',
  onlineLabel: 'Nộp trực tuyến',
  notOnline: (name: string, place: string) => `Dạ, thủ tục "${name}" hiện chưa nộp trực tuyến được. Anh/chị nộp tại: ${place}`,
  notOnlineNoPlace: (name: string) => `Dạ, thủ tục "${name}" hiện chưa nộp trực tuyến được; anh/chị nộp trực tiếp tại cơ quan giải quyết hoặc qua bưu chính (nếu có) ạ.`,
  online: (name: string, url: string | undefined, how: string) => `Dạ, thủ tục "${name}" có thể nộp trực tuyến${url ? ` tại ${url}` : ' trên Cổng Dịch vụ công quốc gia (dichvucong.gov.vn)'}; anh/chị đăng nhập bằng tài khoản định danh điện tử VNeID.${how ? ` ${how}` : ''}`,
  formsOf: (name: string) => `Dạ, mẫu đơn, tờ khai của thủ tục "${name}":`,
  formsNamed: (name: string) => `Dạ, thủ tục "${name}" dùng các mẫu sau:`,
  formsWhere: (url?: string) => `Anh/chị lấy mẫu tại Bộ phận Một cửa${url ? ` hoặc tải tại ${url}` : ' hoặc trên Cổng Dịch vụ công quốc gia'} ạ.`,
  legalIntro: (name: string) => `Dạ, căn cứ pháp lý của thủ tục "${name}":`,
  decision: (d: string) => `Quyết định công bố thủ tục: ${d}`,
  eligibilityIntro: (name: string) => `Dạ, đối tượng và điều kiện thực hiện thủ tục "${name}":`,
  eligibility: 'Đối tượng thực hiện',
  conditions: 'Yêu cầu, điều kiện',
  cardIntro: (name: string) => `Dạ, thủ tục "${name}"`,
  field: 'lĩnh vực',
  duration: 'Thời hạn',
  fee: 'Phí, lệ phí',
  result: 'Kết quả',
  legalShort: 'Căn cứ pháp lý',
  yes: 'có',
  no: 'chưa',
  askMore: 'Anh/chị muốn xem thêm nội dung nào ạ?',
  cardNoDetail: (url?: string) => `• Hồ sơ thủ tục chưa có thông tin chi tiết${url ? `; anh/chị xem tại ${url}` : '; anh/chị xem trên Cổng Dịch vụ công quốc gia (dichvucong.gov.vn)'}.`,
  noDetail: (what: string, url?: string) => `Dạ, ${what} chưa có trong dữ liệu của em. Anh/chị xem chi tiết ${url ? `tại ${url}` : 'trên Cổng Dịch vụ công quốc gia (dichvucong.gov.vn)'} hoặc hỏi Bộ phận Một cửa ạ.`,
  what: {
    documents: (name: string) => `thành phần hồ sơ của thủ tục "${name}"`,
    fee: (name: string) => `phí, lệ phí của thủ tục "${name}"`,
    duration: (name: string) => `thời hạn giải quyết thủ tục "${name}"`,
    place: (name: string) => `nơi nộp hồ sơ thủ tục "${name}"`,
    forms: (name: string) => `mẫu đơn, tờ khai của thủ tục "${name}"`,
    legal: (name: string) => `căn cứ pháp lý của thủ tục "${name}"`,
    eligibility: (name: string) => `đối tượng, điều kiện của thủ tục "${name}"`,
  },
  openPortal: 'Mở Cổng DVC',
  clarifyIntro: (n: number) => (n === 1 ? 'Dạ, có phải anh/chị hỏi về thủ tục dưới đây không ạ?' : 'Dạ, anh/chị hỏi về thủ tục nào dưới đây ạ?'),
  /** The question may not be about a procedure at all (the NLU was unsure): the options, and what else to do. */
  unsureIntro: 'Dạ, em chưa chắc anh/chị hỏi về thủ tục hành chính nào. Nếu là thủ tục dưới đây, anh/chị nhắn số thứ tự hoặc chọn bên dưới giúp em ạ:',
  unsureHow: 'Nếu không phải, câu hỏi này có thể nằm ngoài phạm vi em hỗ trợ; anh/chị nhắn "gặp cán bộ" để được hỗ trợ trực tiếp ạ.',
  clarifyHow: (n: number) => (n === 1 ? 'Nếu đúng, anh/chị nhắn số 1 hoặc chọn bên dưới; nếu không, anh/chị cho em biết tên thủ tục cần hỏi ạ.'
    : `Anh/chị nhắn số thứ tự (1–${n}) hoặc chọn bên dưới giúp em ạ.`),
  askWhich: (aspectWhat?: string) => `Dạ, anh/chị cho em biết tên thủ tục cần hỏi${aspectWhat ? ` ${aspectWhat}` : ''} (ví dụ: "đăng ký khai sinh", "cấp thẻ căn cước", "chứng thực bản sao") ạ.`,
} as const;

/** Reform models (src/bot/answers.ts). */
export const MODEL_TEXTS = {
  intro: (name: string, agency: string, year: number | null) => `Dạ, mô hình "${name}" (${agency}${year ? `, năm ${year}` : ''}):`,
  place: 'Nơi áp dụng',
  howToUse: 'Người dân được lợi gì',
  agencyNow: (then: string, now: string) => `Lưu ý: từ ngày 1/7/2025, ${then} không còn; nay anh/chị liên hệ ${now}.`,
  agencyChanged: (then: string) => `Lưu ý: ${then} đã thay đổi sau sắp xếp bộ máy từ ngày 1/7/2025 (không còn cấp huyện; một số sở, tỉnh đã hợp nhất). Anh/chị liên hệ Ủy ban nhân dân xã, phường nơi cư trú hoặc nhắn "gặp cán bộ" để được hướng dẫn ạ.`,
} as const;

/** What the bot says about where an answer comes from (src/bot/verification.ts). */
export const VERIFICATION_TEXTS = {
  sample: 'Lưu ý: đây là dữ liệu mẫu, chưa được cơ quan có thẩm quyền xác minh; anh/chị vui lòng đối chiếu tại Bộ phận Một cửa trước khi thực hiện ạ.',
  unverified: 'Lưu ý: thông tin này chưa được cán bộ xác minh; anh/chị vui lòng đối chiếu tại Bộ phận Một cửa ạ.',
  national: (date: string) => `Theo Cổng Dịch vụ công quốc gia, cập nhật ${date}.`,
} as const;

export const STATUS_LABELS: Record<DossierStatus, string> = {
  received: 'Đã tiếp nhận',
  processing: 'Đang giải quyết',
  needs_supplement: 'Cần bổ sung hồ sơ',
  awaiting_payment: 'Chờ nộp phí, lệ phí',
  rejected: 'Không đủ điều kiện giải quyết',
  suspended: 'Tạm dừng giải quyết',
  withdrawn: 'Đã rút hồ sơ',
  done: 'Đã có kết quả, chờ trả',
  returned: 'Đã trả kết quả',
};

/**
 * Per status, one coherent paragraph: what is happening and what the citizen does next. `late` is said only for
 * statuses where the office is the one working (received, processing) and the due date has passed.
 */
export const STATUS_TEXTS: Record<DossierStatus, { now: string; late?: string }> = {
  received: {
    now: 'Hồ sơ đã được tiếp nhận và đang chờ chuyển xử lý; anh/chị chưa cần làm gì thêm, chỉ chờ đến ngày hẹn trả kết quả.',
    late: 'Hồ sơ đã quá ngày hẹn trả kết quả. Bộ phận Một cửa thành thật xin lỗi anh/chị vì sự chậm trễ; cán bộ sẽ thông báo ngày hẹn mới sớm nhất.',
  },
  processing: {
    now: 'Hồ sơ đang được giải quyết; anh/chị chưa cần làm gì thêm, chỉ chờ đến ngày hẹn trả kết quả.',
    late: 'Hồ sơ đã quá ngày hẹn trả kết quả mà chưa giải quyết xong. Bộ phận Một cửa thành thật xin lỗi anh/chị vì sự chậm trễ; cán bộ sẽ thông báo ngày hẹn mới sớm nhất.',
  },
  needs_supplement: { now: 'Hồ sơ cần bổ sung trước khi giải quyết tiếp. Việc anh/chị cần làm: bổ sung giấy tờ theo hướng dẫn của cán bộ (chưa nhận được hướng dẫn, anh/chị nhắn "gặp cán bộ"), nộp tại Bộ phận Một cửa hoặc trên Cổng Dịch vụ công; sau khi nhận đủ, cán bộ sẽ báo ngày hẹn trả mới.' },
  awaiting_payment: { now: 'Hồ sơ đang chờ nộp phí, lệ phí. Việc anh/chị cần làm: nộp phí, lệ phí trực tuyến trên Cổng Dịch vụ công (mục thanh toán của hồ sơ) hoặc tại Bộ phận Một cửa; hồ sơ được giải quyết tiếp ngay sau khi nộp.' },
  rejected: { now: 'Hồ sơ không đủ điều kiện giải quyết. Anh/chị xem văn bản trả lời nêu lý do (nhận tại Bộ phận Một cửa hoặc trên Cổng Dịch vụ công); cần hướng dẫn thêm, anh/chị nhắn "gặp cán bộ" ạ.' },
  suspended: { now: 'Việc giải quyết hồ sơ đang tạm dừng; cán bộ sẽ liên hệ anh/chị khi có thông tin mới. Cần hỏi thêm, anh/chị nhắn "gặp cán bộ" ạ.' },
  withdrawn: { now: 'Hồ sơ đã được rút theo đề nghị của người nộp; việc giải quyết đã kết thúc.' },
  done: { now: 'Hồ sơ đã có kết quả. Việc anh/chị cần làm: mang Giấy tiếp nhận hồ sơ và giấy tờ tùy thân đến Bộ phận Một cửa để nhận kết quả (hoặc chờ bưu điện chuyển nếu đã đăng ký nhận qua bưu chính).' },
  returned: { now: 'Kết quả đã được trả. Cảm ơn anh/chị đã sử dụng dịch vụ.' },
};

/** The status card and notices (src/bot/dossier-text.ts). */
export const DOSSIER_TEXTS = {
  cardIntro: (code: string) => `Dạ, thông tin hồ sơ ${code}:`,
  procedure: (name: string) => `• Thủ tục: ${name}`,
  applicant: (masked: string) => `• Người nộp: ${masked}`,
  received: (date: string) => `• Ngày tiếp nhận: ${date}`,
  due: (date: string) => `• Ngày hẹn trả: ${date}`,
  status: (label: string) => `• Trạng thái: ${label}`,
  office: (name: string) => `• Nơi giải quyết: ${name}`,
  note: (note: string) => `• Ghi chú của cán bộ: ${note}`,
  supplement: (note: string) => `• Cần bổ sung: ${note}`,
  sample: 'Đây là hồ sơ mẫu để dùng thử trợ lý.',
  noticeHeader: (code: string, procedure: string) => `Dạ, hồ sơ ${code} (${procedure}) của anh/chị vừa được cập nhật:`,
  postponed: (code: string, procedure: string, oldDate: string, newDate: string) =>
    `Dạ, Bộ phận Một cửa thành thật xin lỗi anh/chị: hồ sơ ${code} (${procedure}) chưa thể trả kết quả đúng hẹn ngày ${oldDate}. Ngày hẹn trả mới là ${newDate}.`,
  rescheduled: (code: string, procedure: string, newDate: string) => `Dạ, ngày hẹn trả kết quả hồ sơ ${code} (${procedure}) được điều chỉnh thành ngày ${newDate}.`,
  askRating: 'Anh/chị vui lòng dành ít giây đánh giá mức độ hài lòng (1–5 sao) bằng nút "Đánh giá" bên dưới ạ.',
  /** Sent back by the "stop" button; the bot's unsubscribe rule matches "ngừng ... thông báo" and reads the code. */
  stopPayload: (code: string) => `Ngừng thông báo hồ sơ ${code}`,
  coarse: {
    working: 'đang được giải quyết',
    applicantStep: 'đang chờ người nộp thực hiện thêm một bước (bổ sung giấy tờ hoặc nộp phí)',
    ready: 'đã có kết quả, chờ người nộp đến nhận',
    returned: 'đã trả kết quả',
    closed: 'đã kết thúc giải quyết',
  },
  coarseCard: (code: string, coarse: string) => `Dạ, hồ sơ ${code} ${coarse}.`,
  proveByZalo: 'Để xem chi tiết (thủ tục, ngày hẹn, việc cần làm) và nhận thông báo, anh/chị cần xác nhận là người nộp hồ sơ: bấm "Xác nhận chủ hồ sơ" để gửi số điện thoại của tài khoản Zalo, em đối chiếu với số ghi trên hồ sơ ạ.',
  proveBySms: 'Để xem chi tiết (thủ tục, ngày hẹn, việc cần làm) và nhận thông báo, anh/chị cần xác nhận là người nộp hồ sơ: bấm "Xác nhận chủ hồ sơ", em gửi mã xác nhận bằng SMS đến số điện thoại ghi trên hồ sơ ạ.',
  proveElsewhere: 'Để bảo vệ thông tin, em chỉ báo chi tiết (thủ tục, ngày hẹn, việc cần làm) và gửi thông báo cho người nộp hồ sơ đã xác nhận qua Zalo OA của Bộ phận Một cửa. Anh/chị cũng có thể tra cứu trên Cổng Dịch vụ công quốc gia (đăng nhập VNeID) hoặc mang Giấy tiếp nhận hồ sơ đến Bộ phận Một cửa ạ.',
  noPhoneOnRecord: 'Hồ sơ này không ghi số điện thoại nên em không xác nhận được qua tin nhắn; anh/chị mang Giấy tiếp nhận hồ sơ đến Bộ phận Một cửa hoặc tra cứu trên Cổng Dịch vụ công quốc gia ạ.',
  needsProofFor: { subscribe: 'nhận thông báo', rate: 'đánh giá' },
  proofFirst: (what: string, code: string) => `Dạ, chỉ người nộp hồ sơ ${code} mới ${what} được cho hồ sơ này.`,
  lookupLimitCode: 'Dạ, mã hồ sơ này đã được tra cứu nhiều lần trong giờ qua. Để bảo vệ thông tin hồ sơ, anh/chị vui lòng thử lại sau ạ.',
  lookupLimitAddress: 'Dạ, từ địa chỉ mạng này đã có nhiều lượt tra cứu hồ sơ trong giờ qua. Anh/chị vui lòng thử lại sau ạ.',
} as const;

const VN_DATE = new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' });
export const formatDate = (d: Date) => VN_DATE.format(d);

/** "Nguyễn Văn An" -> "N** V** A": enough for the owner to recognise, nothing for anyone else. */
export function maskName(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  return words.map((w, i) => (i === words.length - 1 ? w[0] : `${w[0]}**`)).join(' ').toUpperCase();
}
