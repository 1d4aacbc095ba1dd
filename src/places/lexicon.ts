import type { UnitType } from './names.js';

// The words around place names that tell the resolver what the citizen means. Phrases are written as people
// type them; they are compared folded (no diacritics), and a word typed WITH diacritics must match them exactly
// ("phương" is not "phường"). Kept here, as data, so they can be reviewed and extended in one place.

export interface TypeWord { words: string[]; type: UnitType; abbreviation: boolean; needsDotOrNumber?: boolean }

export const TYPE_WORDS: TypeWord[] = [
  { words: ['thị', 'trấn'], type: 'thị trấn', abbreviation: false },
  { words: ['thị', 'xã'], type: 'thị xã', abbreviation: false },
  { words: ['thành', 'phố'], type: 'thành phố', abbreviation: false },
  { words: ['đặc', 'khu'], type: 'đặc khu', abbreviation: false },
  { words: ['xã', 'đảo'], type: 'xã', abbreviation: false },
  { words: ['huyện', 'đảo'], type: 'huyện', abbreviation: false },
  { words: ['xã'], type: 'xã', abbreviation: false },
  { words: ['phường'], type: 'phường', abbreviation: false },
  { words: ['huyện'], type: 'huyện', abbreviation: false },
  { words: ['quận'], type: 'quận', abbreviation: false },
  { words: ['tỉnh'], type: 'tỉnh', abbreviation: false },
  { words: ['tp'], type: 'thành phố', abbreviation: true },
  { words: ['tphố'], type: 'thành phố', abbreviation: true },
  { words: ['tx'], type: 'thị xã', abbreviation: true },
  { words: ['tt'], type: 'thị trấn', abbreviation: true },
  { words: ['p'], type: 'phường', abbreviation: true, needsDotOrNumber: true },
  { words: ['ph'], type: 'phường', abbreviation: true, needsDotOrNumber: true },
  { words: ['f'], type: 'phường', abbreviation: true, needsDotOrNumber: true },
  { words: ['q'], type: 'quận', abbreviation: true, needsDotOrNumber: true },
  { words: ['x'], type: 'xã', abbreviation: true, needsDotOrNumber: true },
  { words: ['h'], type: 'huyện', abbreviation: true, needsDotOrNumber: true },
  { words: ['t'], type: 'tỉnh', abbreviation: true, needsDotOrNumber: true },
];

/** Glued abbreviations with a number: "p5", "q.1" is split by the tokenizer already, "f12", "phường5". */
export const GLUED_NUMBERED = /^(p|f|ph|q|x|phường|phuong|quận|quan|xã|xa)(\d{1,2})$/u;

/** The levels each unit-type word can name. */
export const COMMUNE_WORDS: ReadonlySet<UnitType> = new Set(['xã', 'phường', 'thị trấn', 'đặc khu']);
export const DISTRICT_WORDS: ReadonlySet<UnitType> = new Set(['huyện', 'quận', 'thị xã']);

/** Words that introduce a place below the commune (hamlet, residential group, street); the name after them is skipped. */
export const SUB_COMMUNE_WORDS: string[][] = [
  ['thôn'], ['ấp'], ['xóm'], ['bản'], ['buôn'], ['plei'], ['khóm'], ['tổ', 'dân', 'phố'], ['tổ'], ['khu', 'phố'], ['kp'], ['tdp'],
  ['khu', 'dân', 'cư'], ['khu'], ['làng'], ['đường'], ['phố'], ['ngõ'], ['ngách'], ['hẻm'], ['kiệt'], ['số', 'nhà'], ['số'],
];
/** Of those, the ones still trusted when typed without diacritics (the others are ordinary words when folded). */
export const SUB_COMMUNE_FOLDED_OK: ReadonlySet<string> = new Set(['thon', 'ap', 'xom', 'khom', 'to dan pho', 'khu pho', 'kp', 'tdp',
  'khu dan cu', 'plei']);

/** Right after a name: the citizen means the unit as it was ("cũ") or as it is now ("mới"). */
export const OLD_MARKERS: string[][] = [['cũ'], ['trước', 'đây'], ['trước', 'kia'], ['ngày', 'xưa'], ['hồi', 'trước'], ['cũ', 'kỹ'],
  // as typed in chat: trc = trước
  ['trc', 'đây'], ['trc', 'kia'], ['hồi', 'trc']];
// "mới thành lập" is newly made; "mới thành" alone is "has just become" (NOT_NEW_AFTER_MOI).
export const NEW_MARKERS: string[][] = [['mới'], ['mới', 'thành', 'lập'], ['mới', 'được', 'thành', 'lập']];
/** "cu" followed by these is "cư" (cư trú, cư dân), not "cũ". */
export const NOT_OLD_AFTER_CU: ReadonlySet<string> = new Set(['tru', 'dan', 'ngu']);

/** Where a merged province is governed from ("trụ sở tỉnh mới ở đâu"): a question about the map, not an office to go to. */
export const PROVINCE_SEAT: string[] = ['trụ sở tỉnh', 'trụ sở của tỉnh', 'tỉnh lỵ', 'tỉnh lị', 'thủ phủ', 'trung tâm hành chính tỉnh'];

/**
 * Phrases that show a message is about administrative geography. A place name typed without a unit-type word is
 * trusted only when one of these is in the message (names that are also ordinary words: right next to it).
 */
export const PLACE_CUES: string[] = [
  'giờ là', 'giờ thuộc', 'giờ nằm', 'giờ về đâu', 'giờ về xã', 'giờ về phường', 'giờ về tỉnh', 'giờ về huyện', 'giờ đổi', 'giờ thành', 'giờ gồm', 'bây giờ là', 'bây giờ thuộc', 'hiện nay là',
  'hiện nay thuộc', 'nay là', 'nay thuộc', 'nay nằm', 'nay về', 'sáp nhập', 'sát nhập', 'xác nhập', 'sắp xếp', 'gộp vào', 'gộp với',
  'gộp lại', 'nhập vào', 'nhập với', 'nhập lại', 'đổi tên', 'thuộc xã', 'thuộc phường', 'thuộc tỉnh', 'thuộc huyện', 'thuộc quận',
  'thuộc thành phố', 'thuộc tp', 'thuộc đâu', 'thuộc về', 'về đâu', 'xã nào', 'phường nào', 'tỉnh nào', 'huyện nào', 'quận nào',
  'thành phố nào', 'tp nào', 'xã gì', 'phường gì', 'tỉnh gì', 'trước đây', 'trước kia', 'địa chỉ mới', 'địa chỉ cũ', 'bao nhiêu xã',
  'bao nhiêu phường', 'mấy xã', 'mấy phường', 'đơn vị hành chính', 'địa giới', 'giải thể', 'không còn huyện', 'ko còn huyện',
  'k còn huyện', 'bỏ huyện', 'bỏ cấp huyện', 'cấp huyện', 'tên mới', 'tên cũ', 'là xã', 'là phường', 'là tỉnh', 'là huyện', 'là quận',
  'là đặc khu', 'nhập vô', 'sáp nhập vô', 'gộp vô', 'vô đâu', 'còn không', 'còn ko', 'còn k', 'sau 1/7', 'từ 1/7', 'giờ có',
  'ngày 1/7', '1/7/2025', 'viết địa chỉ', 'ghi địa chỉ', 'đổi địa chỉ', 'địa chỉ thế nào', 'ghi thế nào', 'viết thế nào', 'là gì rồi',
  'giờ tên', 'nay tên', 'tên gì', 'tên là gì', 'mang tên', 'giờ còn', 'còn là', 'giữ tên', 'giữ nguyên tên', 'giữ nguyên',
  'có bị sáp nhập', 'có sáp nhập', 'có bị nhập', 'có bị gộp', 'bị sáp nhập', 'đã sáp nhập', 'bây giờ sáp nhập', 'giờ sáp nhập',
  'bây giờ nhập', 'giờ nhập vào', 'có nhập với', 'có nhập vs', 'nhập vs', 'gộp vs', 'gộp rồi', 'gộp r',
  ...PROVINCE_SEAT,
  // "huyện Mường Tè giờ chia thành những xã nào"
  // (not "chia làm hai" alone: a plot of land is split too)
  'giờ chia', 'h chia', 'bh chia', 'bị chia', 'bị tách', 'chia thành những', 'chia thành các', 'chia làm những', 'chia ra những',
  'tách thành những', 'tách thành các',
  // as typed in chat: h = giờ, j = gì, bn = bao nhiêu
  'h là', 'h thuộc', 'h có', 'h nằm', 'h về', 'h nhập', 'h sáp nhập', 'h đổi', 'h thành', 'h còn', 'h gồm', 'bn xã',
  'bn phường', 'xã j', 'phường j', 'p j', 'p nào', 'x nào', 'tỉnh j', 'trc đây', 'trc kia',
  // bh = bây giờ
  'bh là', 'bh thuộc', 'bh nằm', 'bh về', 'bh nhập', 'bh sáp nhập', 'bh đổi', 'bh thành', 'bh còn', 'bh gồm', 'bây h là', 'bây h thuộc',
];

/**
 * What became of it: right after a place, a question about that place ("huyện Châu Thành Tiền Giang giờ ra sao"); not
 * elsewhere ("hồ sơ nộp hôm thứ ba giờ ra sao rồi" asks about a dossier).
 */
export const BECAME_CUES: string[] = ['giờ thế nào', 'giờ ra sao', 'h ra sao', 'bh ra sao', 'ra sao rồi', 'ra sao r', 'thế nào rồi',
  'h vẫn là', 'giờ vẫn là', 'bị xóa', 'bị xoá', 'bỏ rồi', 'bị bỏ', 'bị giải thể'];

/** Words that make a name next to them a place ("Bình Triều cũ", "Bàn Cờ gồm những phường nào"), and only there. */
export const ADJACENT_CUES: string[] = ['cũ', 'mới', 'gồm', 'bao gồm', 'giờ', 'jờ', 'bây giờ', 'hiện nay', 'nay', 'h', 'ở đâu', 'đâu',
  'trước đây', 'trước kia', 'hồi trước', 'còn không', 'còn ko', 'trc đây', 'trc kia', 'hồi trc',
  'không còn', 'ko còn', 'k còn', 'giải thể',
  ...BECAME_CUES];

/** Of ADJACENT_CUES, those that ask about a place only after its name: "Tân Phú ở đâu", not "giá dầu Thổ Tang" typed as "gia dau tho tang". */
export const ADJACENT_AFTER_ONLY: string[] = ['ở đâu', 'đâu'];

/** A question about provinces ("Sài Gòn gồm những tỉnh nào"): a bare name is read as the province it can be. */
export const PROVINCES_ASKED_CUES: string[] = ['gồm những tỉnh', 'gồm các tỉnh', 'gồm tỉnh', 'từ những tỉnh', 'từ các tỉnh', 'từ tỉnh nào',
  'mấy tỉnh', 'những tỉnh nào', 'các tỉnh nào', 'với tỉnh nào', 'vs tỉnh nào', 'với những tỉnh',
  // "Bình Dương cũ nay là thành phố nào": the province it became
  'là tỉnh nào', 'là thành phố nào', 'thuộc tỉnh nào', 'thuộc thành phố nào', 'về tỉnh nào', 'vô tỉnh nào', 'vào tỉnh nào'];

/** Phrases asking what a new unit was formed from (new -> old). */
export const NEW_TO_OLD_CUES: string[] = [
  'gồm những xã', 'gồm những phường', 'gồm những tỉnh', 'gồm các xã', 'gồm các phường', 'gồm các tỉnh', 'gồm mấy', 'gồm nhg',
  'gồm những đơn vị', 'bao gồm những xã', 'bao gồm những phường', 'bao gồm các', 'gồm xã', 'gồm phường', 'gồm tỉnh', 'gồm những nơi',
  'gồm những chỗ', 'gồm những đâu', 'từ những', 'từ xã nào', 'từ phường nào', 'từ tỉnh nào', 'từ các xã', 'từ các phường',
  'trước đây là', 'trước là', 'trước kia là', 'trước đây gồm', 'sáp nhập từ', 'sát nhập từ', 'hợp nhất từ', 'ghép từ', 'gộp từ',
  'nhập từ mấy', 'nhập từ những', 'nhập từ các', 'nhập từ xã', 'nhập từ phường',
  'lập từ', 'thành lập từ', 'tạo thành từ', 'hình thành từ', 'những xã cũ', 'những phường cũ', 'các xã cũ', 'các phường cũ',
  'xã cũ nào', 'phường cũ nào', 'tỉnh cũ nào', 'xã nào cũ', 'phường nào cũ', 'tỉnh nào cũ', 'xã nào sáp nhập', 'phường nào sáp nhập',
  'những xã nào', 'những phường nào', 'những tỉnh nào', 'các xã nào', 'các phường nào', 'tỉnh nào sáp nhập', 'trước thuộc',
  'trước đây thuộc', 'gộp những', 'gộp các', 'ghép những', 'nhập những', 'những phường nào trước đây', 'những xã nào trước đây',
  'trc là', 'trc đây là', 'trc kia là', 'trc thuộc', 'trc đây thuộc',
  // "Ba Tơ mới gồm thị trấn Ba Tơ với những xã nào nữa", "xã Lao Chải mới có gộp thêm xã nào không"
  'gộp thêm', 'nhập thêm', 'sáp nhập thêm', 'ghép thêm', 'mới gồm', 'mới bao gồm',
  // "xã Văn Phú sau 1/7 gồm các đơn vị hành chính cũ nào"
  'đơn vị hành chính cũ nào', 'đơn vị cũ nào', 'các đơn vị hành chính cũ', 'những đơn vị hành chính cũ',
];

/** Phrases asking where to go or submit (where_to_submit). */
export const SUBMIT_CUES: string[] = [
  'nộp ở đâu', 'nộp đâu', 'nộp tại đâu', 'nộp chỗ nào', 'làm ở đâu', 'làm đâu', 'làm tại đâu', 'làm chỗ nào', 'đi đâu', 'đến đâu',
  'tới đâu', 'ra đâu', 'lên đâu', 'liên hệ ở đâu', 'liên hệ đâu', 'liên hệ ai', 'liên hệ chỗ nào', 'ở đâu giải quyết',
  'giải quyết ở đâu', 'ai giải quyết', 'nơi nộp', 'làm ở xã nào', 'làm ở phường nào', 'nộp ở xã nào', 'nộp ở phường nào', 'ubnd nào',
  'ủy ban nào', 'uỷ ban nào', 'làm tại xã nào', 'ở đâu làm', 'ở đâu nộp', 'chứng thực ở đâu', 'đăng ký ở đâu', 'đk ở đâu',
  'dk ở đâu', 'đăng kí ở đâu', 'lm ở đâu', 'nộp hs ở đâu', 'bộ phận một cửa nào', 'một cửa ở đâu',
  // "đăng ký kết hôn giờ vẫn làm ở xã Nghĩa Trụ hay lên chỗ khác", "thì vẫn làm ở xã mình hả"
  'vẫn làm ở', 'vẫn nộp ở', 'vẫn làm tại', 'vẫn nộp tại', 'vẫn lên', 'vẫn ra xã',
  // "thì ra UB xã nào", "tới UB nào"
  'ub nào', 'ub xã nào', 'ub phường nào', 'ra ub', 'tới ub', 'lên ub',
  // "h là xã M'Drắk hả ad, e mún làm giấy khai sinh thì nộp ở đó lun đc ko"
  'nộp ở đó', 'làm ở đó', 'nộp ở đấy', 'làm ở đấy',
  // "giờ làm giấy tờ thì tới trụ sở nào, còn ở chỗ cũ không", "giờ đi nộp hồ sơ thì lên phường Ngọc Hà hay Giảng Võ"
  'trụ sở nào', 'tới chỗ nào', 'đến chỗ nào', 'lên chỗ nào', 'ra chỗ nào', 'đi nộp', 'vẫn nộp', 'nộp hồ sơ vẫn ở', 'nộp hs vẫn ở',
  // "thì nộp ở xã mình luôn hay phải lên tỉnh" (not "hay lên huyện" alone: "chuyển đất vườn giờ làm ở xã hay lên huyện"
  // names no unit and asks where a procedure is done)
  'nộp ở xã mình', 'làm ở xã mình',
  // "nay cần làm thủ tục thì phải về xã nào để nộp hồ sơ"
  'để nộp', 'để làm thủ tục', 'để làm giấy',
];

/** "Where" words: with something to do in the message ("làm căn cước ... ở đâu") they ask where to submit. */
export const WHERE_TO_GO: string[] = ['ở đâu', 'chỗ nào', 'nơi nào', 'xã nào', 'phường nào', 'p nào', 'x nào', 'đâu', 'chỗ khác', 'nơi khác'];
/**
 * ...but not right after these: "đổi thành phường nào", "quê quán ghi xã nào", "giờ nhập vô đâu" ask what the unit became,
 * "gồm các xã nào" what it was made of, whatever else the citizen is doing ("làm lại giấy tờ", "điền tờ khai").
 */
export const BECAME_BEFORE_WHERE: string[] = ['thành', 'là', 'thuộc', 'ghi', 'vào', 'vô', 'về', 'nhập', 'sang', 'gồm', 'các', 'những',
  // "gửi đồ về nhà thì ghi địa chỉ xã nào": the address to write, what the unit became
  'địa chỉ'];

/** Phrases saying the district level is gone (a where-to-submit question without a place). */
export const NO_DISTRICT_CUES: string[] = ['không còn huyện', 'ko còn huyện', 'k còn huyện', 'không còn cấp huyện', 'bỏ huyện', 'bỏ cấp huyện',
  'không còn quận', 'ko còn quận', 'hết huyện', 'huyện giải thể', 'giải thể huyện', 'huyện bị bỏ', 'không có huyện', 'ko có huyện',
  'khong con huyen', 'hông còn huyện', 'hk còn huyện', 'kh còn huyện', 'huyện không còn', 'huyện ko còn', 'huyện k còn',
  'huyện bỏ rồi', 'huyện đã bỏ', 'hết cấp huyện', 'không còn cấp quận', 'sau khi bỏ huyện', 'bỏ quận'];

/**
 * Two places in one message, where one was born or comes from and where one lives now: what is said before each name,
 * and what the question says it is about ("ở chỗ đang ở thì nộp ở đâu", "hỏi cái xã ở quê").
 */
export const LIVES_BEFORE: string[] = ['đang ở', 'đang sống ở', 'sống ở', 'sinh sống ở', 'hiện ở', 'hiện sống ở', 'hiện đang ở', 'ở tại',
  'làm ăn ở', 'công tác ở', 'về ở', 'tôi ở', 'em ở', 'e ở', 'mình ở', 'chúng tôi ở', 'đang làm ở', 'thuê trọ ở', 'ở trọ', 'đã ở'];
export const HOME_BEFORE: string[] = ['quê', 'quê ở', 'quê là', 'quê tôi', 'quê em', 'quê e', 'quê mình', 'quê gốc', 'sinh ra ở', 'sinh ở', 'sinh tại', 'gốc ở',
  'quê mẹ', 'quê bố', 'quê ba', 'quê chồng', 'quê vợ'];
export const ASKS_HERE: string[] = ['chỗ đang ở', 'nơi đang ở', 'nơi đang sống', 'chỗ đang sống', 'nơi tôi ở', 'chỗ tôi ở', 'chỗ em ở',
  'nơi ở hiện tại', 'chỗ ở hiện tại', 'ở chỗ tôi', 'tại chỗ tôi', 'ở đây'];
export const ASKS_HOME: string[] = ['ở quê', 'dưới quê', 'về quê', 'xã quê', 'quê tôi giờ', 'quê em giờ'];

/** Courtesy around a question, not something to do there ("Xin hỏi ấp 3, xã … giờ thuộc xã nào"). */
export const COURTESY_PHRASES: string[] = ['xin hỏi', 'xin cho hỏi', 'cho xin hỏi', 'xin phép hỏi', 'xin chào', 'xin cảm ơn'];

/** "ở đâu" asks where to go when the message also names something to do there (not "X giờ ở đâu"). */
export const ACTION_WORDS: string[] = ['đăng ký', 'đk', 'đky', 'làm', 'lm', 'nộp', 'xin', 'cấp', 'đổi', 'chứng thực', 'khai', 'giải quyết', 'gia hạn',
  'liên hệ', 'tạm trú', 'thường trú', 'hồ sơ', 'hs', 'thủ tục', 'giấy', 'công chứng', 'trích lục', 'xác nhận',
  // the office itself: "ubnd xã Thăng An ở đâu"
  'ubnd', 'ủy ban', 'uỷ ban', 'trụ sở', 'một cửa', 'trung tâm phục vụ'];

/** Before a name: it is the unit as it was ("trước đây là xã X") or as it is now ("giờ là xã Y"). */
export const OLD_BEFORE: string[][] = [['cũ', 'là'], ['trước', 'đây', 'là'], ['trước', 'là'], ['trước', 'kia', 'là'], ['trước', 'thuộc'],
  ['trước', 'đây', 'thuộc'], ['trước', 'đây', 'ở'], ['hồi', 'trước', 'ở'], ['trc', 'là'], ['trc', 'đây', 'là'], ['trc', 'thuộc']];
export const NEW_BEFORE: string[][] = [['giờ', 'là'], ['nay', 'là'], ['giờ', 'thuộc'], ['nay', 'thuộc'], ['mới', 'là'], ['đổi', 'thành'],
  ['nhập', 'vào'], ['sáp', 'nhập', 'vào'], ['gộp', 'vào'], ['sáp', 'nhập', 'thành'], ['gộp', 'thành'], ['nhập', 'thành']];
/** "mới" right after a name followed by one of these is "just" ("mới sáp nhập"), not "new". */
export const NOT_NEW_AFTER_MOI: ReadonlySet<string> = new Set(['sap', 'sat', 'nhap', 'duoc', 'gop', 'chuyen', 'thanh', 'len', 'doi', 'bi', 'xac']);

/** Words that end an unknown name typed after a unit-type word ("xã Hoa Mai Vàng cũ giờ là xã nào"). */
export const NAME_STOP_WORDS: string[] = [
  'cũ', 'mới', 'giờ', 'jờ', 'bây', 'nay', 'này', 'hiện', 'thuộc', 'là', 'ở', 'của', 'thì', 'và', 'với', 'nào', 'đâu', 'gì', 'không', 'ko',
  'k', 'kg', 'có', 'còn', 'đã', 'được', 'đc', 'dc', 'trước', 'sau', 'sáp', 'sát', 'nhập', 'gồm', 'tôi', 'em', 'mình', 'anh', 'chị',
  'ad', 'admin', 'a', 'à', 'ạ', 'ah', 'nhé', 'nhe', 'nha', 'vậy', 'thế', 'nè', 'ơi', 'hỏi', 'cho', 'xin', 'làm', 'nộp', 'hồ', 'họ',
  'sơ', 'hs', 'cần', 'muốn', 'phải', 'bị', 'tại', 'trong', 'ngoài', 'như', 'sao', 'bao', 'nhiêu', 'mấy', 'những', 'các', 'từ', 'đến',
  'về', 'ra', 'vào', 'lên', 'xuống', 'đi', 'bên', 'giúp', 'nữa', 'rồi', 'chưa', 'luôn', 'đang', 'người', 'dân', 'việc', 'thủ', 'tục',
  'giấy', 'tờ', 'bạn', 'ubnd', 'ủy', 'uỷ', 'khẩu', 'trú', 'nơi', 'đó', 'đây', 'kia', 'ấy', 'lại', 'gần', 'khác', 'cũng', 'vẫn', 'ta',
  'đúng', 'vô', 'đỏ', 'số', 'hay', 'hoặc', 'mà', 'sẽ', 'để', 'hết', 'chỗ', 'nhà', 'dưới', 'trên', 'cả',
  // what happened to the unit ("huyện Thăng Bình bỏ rồi", "xã X giải thể", "đổi tên")
  'bỏ', 'xóa', 'xoá', 'gộp', 'tách', 'chia', 'giải', 'mất', 'chuyển', 'dời', 'hủy', 'huỷ', 'thay', 'đổi', 'tên',
  // as typed in chat
  'h', 'j', 'z', 'v', 'r', 'ak', 'e', 'lm', 'nhg', 'mn', 'ae', 'hả', 'ha', 'zậy', 'zay', 'ntn', 'khum', 'hem', 'hok', 'hk', 'hông',
  'ui', 'bn', 'vs', 'ng', 'ntn', 'dzậy', 'trc',
];

/** Words that cannot begin a name after a unit-type word: "xã nào", "phường mình", "huyện cũ". */
export const NOT_A_NAME_START: string[] = [
  'nào', 'gì', 'j', 'đâu', 'này', 'đó', 'kia', 'ấy', 'mình', 'tôi', 'em', 'anh', 'chị', 'cũ', 'mới', 'ta', 'là', 'thì', 'ở', 'và',
  'của', 'với', 'có', 'không', 'ko', 'k', 'h', 'giờ', 'jờ', 'còn', 'đã', 'được', 'đc', 'nhé', 'a', 'hả', 'hay', 'hoặc', 'mà', 'như', 'tại',
  'trong', 'bên', 'những', 'các', 'mọi', 'một', 'sao', 'bao', 'mấy', 'thuộc', 'sẽ', 'đang', 'vẫn', 'cũng', 'nữa', 'rồi', 'r', 'v', 'z',
  'nè', 'ơi', 'oy', 'òi', 'roài', 'khác', 'lần', 'cần', 'để', 'về', 'ra', 'vào', 'lên', 'xuống', 'nộp', 'làm', 'xin', 'chưa', 'hết', 'bị', 'phải', 'muốn',
  'hỏi', 'giúp', 'nhà', 'nơi', 'mình', 'ạ', 'ad', 'đi', 'tới', 'đến', 'từ', 'khi', 'lúc', 'vậy', 'thế',
  // "quan karaoke" typed without diacritics is a shop (quán), not a district nobody knows.
  'karaoke', 'cafe', 'cà', 'ăn', 'nhậu', 'net', 'game', 'cơm', 'phở', 'bún', 'nước', 'bia', 'bida', 'tạp', 'hủ', 'lẩu', 'nướng', 'trà',
  // nor is "quan ly", "quan trong": quản lý, quan trọng.
  'lý', 'trọng', 'tâm', 'hệ', 'điểm', 'sát', 'quá', 'lắm', 'năm',
  // "tỉnh lỵ", "huyện lỵ": the seat of a province or district
  'lỵ', 'lị',
  // "UBND tỉnh phê duyệt", "ủy ban xã cấp", "xã chấp thuận": the unit as the subject of what it does
  'phê', 'duyệt', 'chấp', 'cấp', 'quyết', 'kiểm',
];

/** Words that, right after xã/phường typed without diacritics, show an ordinary word: "xã hội", "phương án". */
export const NOT_A_NAME_AFTER_TYPE: string[] = ['hội', 'viên', 'giao', 'án', 'pháp', 'tiện', 'thức', 'hướng', 'tây'];

/** "Em tên Hà Giang", "con tôi tên là Hòa Bình": a person's name after these is not a place. */
const NAMED_PEOPLE = ['em', 'tôi', 'tui', 'mình', 'con', 'cháu', 'bé', 'vợ', 'chồng', 'ông', 'bà', 'anh', 'chị', 'mẹ', 'bố', 'ba', 'má', 'cô', 'chú'];
/** "Cty Hoàng Long", "tiệm Phú Quý", "bệnh viện Bạch Mai": a firm's, a shop's or an institution's name after these is not a place either. */
const NAMED_FIRMS = ['cty', 'công ty', 'doanh nghiệp', 'dntn', 'tập đoàn', 'hãng', 'tiệm', 'tiệm vàng', 'quán', 'xưởng', 'cửa hàng', 'nhà thuốc', 'khách sạn', 'nhà hàng', 'htx',
  'hợp tác xã', 'bệnh viện', 'bv', 'trường', 'khu công nghiệp', 'kcn', 'bến xe'];
export const NOT_A_PLACE_BEFORE: string[][] = [...NAMED_PEOPLE.flatMap((p) => [[p, 'tên'], [p, 'tên', 'là']]),
  ...NAMED_FIRMS.map((f) => f.split(' '))];

/**
 * "đường Lạc Long Quân", "hẻm Bình Minh", "Nguyễn Văn An": a name right after a street word or a family name is a
 * street's or a person's (not when that word ends another place's name: "Bình Dương Thủ Dầu Một"). Family names that
 * are also common words typed without diacritics (phần, đang, do, mai, cao, vụ, vợ, họ, lễ) are left out.
 */
export const NOT_A_PLACE_AFTER: string[][] = [['đường'], ['ngõ'], ['ngách'], ['hẻm'], ['kiệt'], ['đại', 'lộ'], ['số', 'nhà'],
  ['nguyễn'], ['trần'], ['phạm'], ['hoàng'], ['huỳnh'], ['bùi'], ['ngô'], ['đinh'], ['trương'], ['trịnh']];

/** A unit-type word that ends an ordinary compound: "địa phương" typed without diacritics, "hợp tác xã". */
export const NOT_A_TYPE_AFTER: Array<{ type: string; before: string[] }> = [{ type: 'phường', before: ['địa'] }, { type: 'xã', before: ['hợp', 'tác'] },
  // "que quan ghi tinh nao": quê quán typed without diacritics, not a quận
  { type: 'quận', before: ['quê'] }];

/**
 * Two words that belong together: a name never starts at the second ("đăng ký phương tiện" is not xã Kỳ Phương, "hồ sơ
 * Tân Phú" may be). Matched on the folded words, before a name without a type word only.
 */
export const WORD_PAIRS: string[] = ['đăng ký', 'đăng kí', 'hồ sơ', 'thủ tục', 'giấy tờ', 'xác nhận', 'chứng thực', 'kết hôn',
  'khai sinh', 'khai tử', 'tạm trú', 'thường trú', 'căn cước', 'bảo hiểm', 'hộ khẩu', 'giấy phép', 'lệ phí', 'sang tên',
  // "lên công an phường nào" is not xã An Phương, nor "ủy ban thì" xã Bản Thi
  'công an', 'ủy ban', 'uỷ ban',
  // "chia lại thành các xã nào" is not xã Lai Thành
  'chia lại', 'nhập lại', 'gộp lại', 'xếp lại', 'tách lại',
  // "giấy phép ví điện tử lần đầu" is not phường Tự Lạn
  'điện tử'];
