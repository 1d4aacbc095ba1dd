import type { DossierStatus } from '../kb/schemas.js';

// Everything the bot says, in one place, as a courteous official writes to a citizen.

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
  outOfScope: 'Dạ, câu hỏi này nằm ngoài phạm vi em hỗ trợ ạ. Em chỉ có thể giúp anh/chị về thủ tục hành chính, tình trạng hồ sơ, các mô hình cải cách hành chính và thông tin liên hệ của Bộ phận Một cửa. Anh/chị có thể chọn một mục bên dưới hoặc nhắn "gặp cán bộ" để được hỗ trợ trực tiếp.',
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
  clarifyIntro: 'Dạ, anh/chị hỏi về thủ tục nào dưới đây ạ?',
  clarifyHow: (n: number) => `Anh/chị nhắn số thứ tự (1–${n}) hoặc chọn bên dưới giúp em ạ.`,
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

/** What the citizen should do next, per status. */
export const STATUS_NEXT: Record<DossierStatus, string> = {
  received: 'Hồ sơ đã được tiếp nhận và đang chờ chuyển xử lý; anh/chị chưa cần làm gì thêm.',
  processing: 'Hồ sơ đang được giải quyết; anh/chị chờ đến ngày hẹn trả kết quả.',
  needs_supplement: 'Anh/chị vui lòng bổ sung giấy tờ theo hướng dẫn tại Bộ phận Một cửa hoặc trên Cổng Dịch vụ công.',
  awaiting_payment: 'Anh/chị vui lòng nộp phí, lệ phí (trực tuyến hoặc tại Bộ phận Một cửa) để hồ sơ được tiếp tục giải quyết.',
  rejected: 'Anh/chị vui lòng xem văn bản trả lời nêu lý do; có thể liên hệ Bộ phận Một cửa để được hướng dẫn.',
  suspended: 'Việc giải quyết tạm dừng; cán bộ sẽ liên hệ khi có thông tin mới.',
  withdrawn: 'Hồ sơ đã được rút theo đề nghị.',
  done: 'Anh/chị mang Giấy tiếp nhận hồ sơ và giấy tờ tùy thân đến Bộ phận Một cửa để nhận kết quả (hoặc nhận qua bưu chính nếu đã đăng ký).',
  returned: 'Kết quả đã được trả. Cảm ơn anh/chị đã sử dụng dịch vụ.',
};

const VN_DATE = new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' });
export const formatDate = (d: Date) => VN_DATE.format(d);

/** "Nguyễn Văn An" -> "N** V** A": enough for the owner to recognise, nothing for anyone else. */
export function maskName(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  return words.map((w, i) => (i === words.length - 1 ? w[0] : `${w[0]}**`)).join(' ').toUpperCase();
}
