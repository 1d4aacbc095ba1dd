// Every sentence the bot says about administrative units, in one place for officials and translators.
// Courteous official register ("Dạ", "anh/chị"); never an address or phone that is not in the knowledge base.

export const EFFECTIVE = 'từ ngày 1/7/2025';

export const placeTexts = {
  resolution: (number: string, date: string) => `Nghị quyết số ${number} ngày ${date} của Ủy ban Thường vụ Quốc hội`,
  provinceResolution: (number: string, date: string) => `Nghị quyết số ${number} ngày ${date} của Quốc hội`,

  mergedInto: (old: string, target: string, others: string, res: string) =>
    `Dạ, ${EFFECTIVE}, ${old} đã được sắp xếp vào ${target}${others}, theo ${res}.`,
  becameAlone: (old: string, target: string, res: string) => `Dạ, ${EFFECTIVE}, ${old} nay là ${target}, theo ${res}.`,
  unchanged: (old: string, target: string, res: string) =>
    `Dạ, ${old} không thuộc diện sắp xếp, ${EFFECTIVE} vẫn là ${target} (${res}).`,
  reusedName: (name: string, where: string) =>
    `Lưu ý: ${name} hiện nay (${where}) là một đơn vị khác, không phải đơn vị cũ cùng tên.`,
  contextMismatch: (given: string) => `Lưu ý: theo danh mục, đơn vị này không thuộc ${given} như anh/chị ghi; em trả lời theo danh mục.`,

  split: (old: string, n: number, list: string, res: string) =>
    `Dạ, ${EFFECTIVE}, ${old} được chia về ${n} đơn vị: ${list} (${res}).`,
  splitAsk: 'Mỗi thôn, ấp, tổ dân phố thuộc đơn vị nào do đề án sắp xếp của tỉnh quy định, em chưa có dữ liệu chi tiết này. '
    + 'Anh/chị cho em biết thôn/ấp/tổ dân phố hoặc tên đường nơi anh/chị ở, hoặc liên hệ UBND một trong các đơn vị trên để được xác nhận ạ.',
  splitSubCommune: (sub: string) => `Em chưa có dữ liệu ${sub} thuộc đơn vị nào trong số trên; anh/chị vui lòng liên hệ UBND một trong các đơn vị này để được xác nhận ạ.`,

  formedFrom: (unit: string, list: string, res: string) => `Dạ, ${unit} được thành lập ${EFFECTIVE} trên cơ sở ${list}, theo ${res}.`,
  keptAsIs: (unit: string, res: string) => `Dạ, ${unit} giữ nguyên, không thực hiện sắp xếp (${res}).`,
  renamedFrom: (unit: string, old: string, res: string) => `Dạ, ${unit} được đổi tên từ ${old} ${EFFECTIVE}, theo ${res}.`,

  noDistrict: `Dạ, ${EFFECTIVE} không còn cấp huyện.`,
  joinedBefore: (unit: string, into: string, date: string, resolution: string) =>
    `${unit} đã nhập vào ${into} từ ngày ${date} (Nghị quyết số ${resolution}), nên trên đây là cả địa bàn ${into} cũ.`,
  districtWhole: (district: string, unit: string, res: string) => `Dạ, ${EFFECTIVE}, toàn bộ ${district} trở thành ${unit}, theo ${res}.`,
  districtCommunes: (district: string, province: string | null, n: number, list: string, res: string) =>
    `Dạ, ${EFFECTIVE} không còn cấp huyện; địa bàn ${district}${province ? ` nay thuộc ${province},` : ''} nay gồm ${n} đơn vị cấp xã `
    + `(nhận toàn bộ hoặc một phần địa bàn cũ): ${list} (${res}).`,

  provinceMerged: (asked: string, others: string, now: string, res: string) =>
    `Dạ, ${EFFECTIVE}, ${asked} được hợp nhất với ${others} thành ${now}, theo ${res}.`,
  provinceMergedFrom: (now: string, list: string, res: string) => `Dạ, ${now} (${EFFECTIVE}) được hợp nhất từ ${list}, theo ${res}.`,
  provinceCentre: (name: string, centre: string) => `Trung tâm chính trị - hành chính của ${name} đặt tại ${centre} (theo Nghị quyết 60-NQ/TW).`,
  provinceKept: (name: string) => `Dạ, ${name} không hợp nhất với tỉnh, thành phố khác.`,
  provinceCounts: (name: string, total: number, parts: string, res: string) =>
    `${name} hiện có ${total} đơn vị hành chính cấp xã (${parts}), theo ${res}.`,

  submitAt: (unit: string) => `Anh/chị nộp hồ sơ tại Trung tâm Phục vụ hành chính công (Bộ phận Một cửa) của UBND ${unit}, `
    + 'hoặc nộp trực tuyến trên Cổng Dịch vụ công quốc gia (dichvucong.gov.vn) hay ứng dụng VNeID.',
  findOffice: (province: string) => `Địa chỉ và giờ làm việc của Trung tâm, anh/chị tra trên Cổng Dịch vụ công quốc gia hoặc trang thông tin điện tử của ${province} ạ.`,
  office: (name: string, address: string, phone: string | null, hours: string | null) =>
    `${name}: ${address}${phone ? `, điện thoại ${phone}` : ''}${hours ? `; giờ làm việc: ${hours}` : ''}.`,
  submitGeneral: `Dạ, ${EFFECTIVE} không còn cấp huyện. Thủ tục trước đây làm ở huyện nay do UBND cấp xã hoặc cơ quan cấp tỉnh giải quyết tùy thủ tục; `
    + 'anh/chị nộp hồ sơ tại Trung tâm Phục vụ hành chính công (Bộ phận Một cửa) của xã, phường nơi anh/chị cư trú, nơi sẽ tiếp nhận hoặc hướng dẫn, '
    + 'hoặc nộp trực tuyến trên Cổng Dịch vụ công quốc gia (dichvucong.gov.vn) hay ứng dụng VNeID.',
  askCommune: 'Anh/chị cho em biết xã, phường (hoặc địa chỉ cũ) nơi anh/chị ở để em chỉ đúng nơi ạ.',
  askWhichCommuneOfDistrict: 'Anh/chị ở xã, phường nào (cũ) của huyện để em chỉ đúng nơi nộp ạ?',

  ambiguous: (n: number, name: string) => `Dạ, có ${n} đơn vị hành chính tên ${name} ở các nơi khác nhau.`,
  askProvince: 'Anh/chị cho em biết đơn vị đó thuộc tỉnh (và huyện) nào trước ngày 1/7/2025 ạ?',
  askDistrict: 'Anh/chị cho em biết đơn vị đó thuộc huyện, quận nào trước ngày 1/7/2025 ạ?',
  candidatesAre: (list: string) => `Gồm: ${list}.`,
  namesakesElsewhere: (n: number, list: string) => `Có ${n} đơn vị cùng tên ở nơi khác: ${list}.`,

  notFound: (name: string) => `Dạ, em không tìm thấy đơn vị hành chính tên "${name}" trong danh mục trước và sau ngày 1/7/2025.`,
  notFoundWithin: (name: string, within: string) =>
    `Dạ, theo danh mục đơn vị hành chính (trước và sau ngày 1/7/2025), không có ${name} thuộc ${within}.`,
  mergedEarlier: 'Nếu đơn vị này đã được sắp xếp trước năm 2025, anh/chị cho em biết tên xã, phường sau lần sắp xếp đó ạ.',
  didYouMean: (list: string) => `Có phải anh/chị muốn hỏi: ${list}?`,
  checkName: 'Anh/chị kiểm tra lại tên giúp em, hoặc cho em biết thêm huyện, tỉnh ạ.',

  askPlace: 'Dạ, anh/chị cho em biết tên xã, phường (hoặc huyện, tỉnh) cũ để em tra cứu đơn vị hành chính mới ạ.',
  andMore: (n: number) => `${n} đơn vị khác`,
  part: (name: string) => `một phần ${name}`,
  oldSuffix: ' cũ',
};
