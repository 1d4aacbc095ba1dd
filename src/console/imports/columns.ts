import { STATUS_LABELS as BOT_STATUS_LABELS } from '../../bot/texts.js';
import { DOSSIER_STATUSES, type DossierStatus } from '../../kb/schemas.js';
import { fold } from '../../nlu/text.js';

// Which spreadsheet column feeds which field, per kind of import. Officials' sheets use Vietnamese headers
// ("Tên thủ tục", "Phí, lệ phí"), exports from other systems use field names: both are accepted, with or
// without diacritics and in any case. The first header listed is the one exports write.

export const IMPORT_KINDS = ['procedures', 'faqs', 'dossiers'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const EXPORT_KINDS = ['procedures', 'faqs'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

/** text: one value; list: several, one per line (or ';'); pairs: "name | link" per line; bool, date, status; json. */
export type CellType = 'text' | 'list' | 'pairs' | 'bool' | 'date' | 'status' | 'json';

export interface ColumnSpec {
  field: string;
  type: CellType;
  /** Header written by exports, then the other accepted spellings. */
  headers: string[];
}

const col = (field: string, type: CellType, ...headers: string[]): ColumnSpec => ({ field, type, headers });

export const COLUMNS: Record<ImportKind, ColumnSpec[]> = {
  procedures: [
    col('code', 'text', 'Mã thủ tục', 'mã', 'mã TTHC', 'mã số'),
    col('name', 'text', 'Tên thủ tục', 'tên', 'thủ tục'),
    col('field', 'text', 'Lĩnh vực'),
    col('level', 'text', 'Cấp thực hiện', 'cấp'),
    col('office', 'text', 'Cơ quan thực hiện', 'cơ quan'),
    col('documents', 'list', 'Thành phần hồ sơ', 'hồ sơ', 'giấy tờ'),
    col('processingTime', 'text', 'Thời hạn giải quyết', 'thời hạn', 'thời gian giải quyết'),
    col('fee', 'text', 'Phí, lệ phí', 'lệ phí', 'phí'),
    col('place', 'text', 'Nơi nộp', 'nơi nộp hồ sơ', 'địa điểm'),
    col('howToSubmit', 'text', 'Cách thức thực hiện', 'cách thức nộp', 'cách thức'),
    col('onlineAvailable', 'bool', 'Nộp trực tuyến', 'trực tuyến'),
    col('onlineUrl', 'text', 'Link nộp trực tuyến', 'đường dẫn nộp trực tuyến', 'link'),
    col('legalBasis', 'list', 'Căn cứ pháp lý'),
    col('forms', 'pairs', 'Biểu mẫu', 'mẫu đơn'),
    col('aliases', 'list', 'Tên gọi khác', 'từ khóa'),
    col('documentsToShow', 'list', 'Giấy tờ xuất trình', 'giấy tờ phải xuất trình'),
    col('steps', 'text', 'Trình tự thực hiện', 'trình tự'),
    col('conditions', 'text', 'Điều kiện', 'yêu cầu, điều kiện', 'điều kiện thực hiện'),
    col('eligibility', 'text', 'Đối tượng thực hiện', 'đối tượng'),
    col('result', 'text', 'Kết quả', 'kết quả thực hiện', 'kết quả giải quyết'),
    // The portal's list export names the ministry that published the procedure "Cơ quan ban hành".
    col('competentBody', 'text', 'Cơ quan có thẩm quyền', 'cơ quan ban hành'),
    col('channels', 'json', 'Kênh nộp (JSON)'),
    col('feeByProvince', 'bool', 'Phí theo quy định của tỉnh', 'phí theo HĐND tỉnh'),
    col('portalUrl', 'text', 'Link Cổng DVC', 'link cổng dịch vụ công'),
    col('decision', 'text', 'Quyết định công bố', 'số quyết định'),
    col('source', 'text', 'Nguồn'),
    col('sourceDate', 'date', 'Ngày của nguồn', 'ngày nguồn'),
    col('verifiedBy', 'text', 'Xác minh bởi', 'người xác minh'),
    col('verifiedAt', 'date', 'Ngày xác minh'),
  ],
  faqs: [
    col('questions', 'list', 'Câu hỏi', 'các câu hỏi'),
    col('answer', 'text', 'Trả lời', 'câu trả lời'),
    col('tags', 'list', 'Nhãn', 'thẻ'),
    col('enabled', 'bool', 'Đang dùng', 'hiển thị'),
    col('buttons', 'pairs', 'Nút bấm', 'nút'),
  ],
  dossiers: [
    col('code', 'text', 'Mã hồ sơ', 'mã', 'số hồ sơ', 'số biên nhận'),
    col('procedureCode', 'text', 'Mã thủ tục'),
    col('procedureName', 'text', 'Tên thủ tục', 'thủ tục'),
    col('status', 'status', 'Trạng thái', 'tình trạng'),
    col('applicantName', 'text', 'Người nộp', 'tên người nộp', 'chủ hồ sơ', 'họ tên'),
    col('applicantPhone', 'text', 'Số điện thoại', 'điện thoại', 'sđt'),
    col('office', 'text', 'Cơ quan', 'cơ quan giải quyết', 'cơ quan tiếp nhận', 'nơi tiếp nhận'),
    col('receivedAt', 'date', 'Ngày tiếp nhận', 'ngày nhận'),
    col('dueAt', 'date', 'Ngày hẹn trả', 'ngày hẹn trả kết quả', 'hạn giải quyết', 'hạn xử lý'),
    col('note', 'text', 'Ghi chú'),
  ],
};

/** Required columns: a file without them cannot be imported whatever its rows say. */
export const REQUIRED: Record<ImportKind, string[]> = {
  procedures: ['name', 'field', 'level', 'office', 'processingTime', 'fee', 'place', 'howToSubmit'],
  faqs: ['questions', 'answer'],
  dossiers: ['code', 'status', 'applicantName', 'office', 'receivedAt', 'dueAt'],
};

/** "Phí, lệ phí" -> "phi le phi"; "processingTime" -> "processingtime". */
export function headerKey(header: string): string {
  return fold(header.normalize('NFC').toLowerCase()).replace(/[^a-z0-9]+/g, ' ').trim();
}

/** Detail columns a list of procedures (the portal's "Danh sách thủ tục hành chính" export) does not have. */
export const LIST_DETAILS = ['level', 'processingTime', 'fee', 'place', 'howToSubmit'] as const;

export interface HeaderMapping {
  /**
   * A list of procedures by code without their details (the portal's export): the details come from the
   * national catalogue for the codes it has, and are left empty otherwise.
   */
  listMode: boolean;
  /** Column header as written in the file -> its column spec. */
  columns: Map<string, ColumnSpec>;
  /** Field -> header as written in the file, for error messages. */
  headerOf: Map<string, string>;
  unknown: string[];
  missing: string[];
  duplicates: Array<{ header: string; other: string }>;
}

export function mapHeaders(kind: ImportKind, headers: string[]): HeaderMapping {
  const lookup = new Map<string, ColumnSpec>();
  for (const spec of COLUMNS[kind]) for (const h of [spec.field, ...spec.headers]) lookup.set(headerKey(h), spec);
  const m: HeaderMapping = { listMode: false, columns: new Map(), headerOf: new Map(), unknown: [], missing: [], duplicates: [] };
  for (const header of headers) {
    const spec = lookup.get(headerKey(header));
    if (!spec) {
      if (header.trim()) m.unknown.push(header);
      continue;
    }
    const other = m.headerOf.get(spec.field);
    if (other !== undefined) {
      m.duplicates.push({ header, other });
      continue;
    }
    m.columns.set(header, spec);
    m.headerOf.set(spec.field, header);
  }
  m.listMode = kind === 'procedures' && m.headerOf.has('code') && LIST_DETAILS.every((f) => !m.headerOf.has(f));
  m.missing = REQUIRED[kind].filter((f) => !m.headerOf.has(f) && !(m.listMode && (LIST_DETAILS as readonly string[]).includes(f)));
  if (kind === 'dossiers' && !m.headerOf.has('procedureName') && !m.headerOf.has('procedureCode')) m.missing.push('procedureName');
  return m;
}

/** A header row: at least two of the kind's columns (a title block above it has none). */
export function looksLikeHeader(kind: ImportKind, values: string[]): boolean {
  const known = new Set(COLUMNS[kind].flatMap((c) => [c.field, ...c.headers].map(headerKey)));
  return values.filter((v) => known.has(headerKey(v))).length >= 2;
}

/** The header exports write for a field (also used to name a missing column). */
export function exportHeader(kind: ImportKind, field: string): string {
  return COLUMNS[kind].find((c) => c.field === field)?.headers[0] ?? field;
}

/** Several values in one cell: one per line; a cell without line breaks may separate them with ';'. */
export function splitList(cell: string): string[] {
  const parts = /\r?\n/.test(cell) ? cell.split(/\r?\n/) : cell.split(';');
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

export function joinList(values: readonly string[]): string {
  return values.join('\n');
}

const TRUE = new Set(['co', 'yes', 'true', '1', 'x', 'y', 'dung']);
const FALSE = new Set(['khong', 'no', 'false', '0', 'n', 'sai']);

/** "có"/"không"/yes/no/true/false/1/0; undefined when the cell says neither. */
export function parseBool(cell: string): boolean | undefined {
  const key = headerKey(cell);
  if (TRUE.has(key)) return true;
  if (FALSE.has(key)) return false;
  return undefined;
}

// Offices in Viet Nam keep local time (UTC+7, no daylight saving); a date without a zone is read as such.
const VN_OFFSET_HOURS = 7;
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const DMY = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:,?\s+(\d{1,2})[:hg](\d{2})(?::(\d{2}))?)?$/;

/** ISO 8601 or dd/mm/yyyy[ hh:mm[:ss]]; undefined when it is neither or not a real date. */
export function parseDate(cell: string): Date | undefined {
  const s = cell.trim();
  if (ISO.test(s)) {
    const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(s);
    const withTime = s.length > 10 ? s.replace(' ', 'T') : `${s}T00:00`;
    const d = new Date(zoned ? withTime : `${withTime}+0${VN_OFFSET_HOURS}:00`);
    return Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1900 ? undefined : d;
  }
  const m = DMY.exec(s);
  if (!m) return undefined;
  const [day, month, year, hour = 0, minute = 0, second = 0] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((v) => (v === undefined ? undefined : Number(v)));
  if (!day || !month || !year || hour! > 23 || minute! > 59 || second! > 59) return undefined;
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  return new Date(Date.UTC(year, month - 1, day, hour! - VN_OFFSET_HOURS, minute, second));
}

/** dd/mm/yyyy hh:mm in Viet Nam time, the way officials write dates. */
export function formatDate(d: Date): string {
  const local = new Date(d.getTime() + VN_OFFSET_HOURS * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(local.getUTCDate())}/${p(local.getUTCMonth() + 1)}/${local.getUTCFullYear()} ${p(local.getUTCHours())}:${p(local.getUTCMinutes())}`;
}

/** Other wordings one-stop systems print for the statuses, besides the bot's own labels. */
const STATUS_SYNONYMS: Record<DossierStatus, string[]> = {
  received: ['Tiếp nhận', 'Mới tiếp nhận'],
  processing: ['Đang xử lý', 'Đang thụ lý'],
  needs_supplement: ['Yêu cầu bổ sung', 'Bổ sung hồ sơ', 'Chờ bổ sung'],
  awaiting_payment: ['Chờ thanh toán', 'Chờ nộp phí', 'Chờ nộp lệ phí'],
  rejected: ['Từ chối', 'Không giải quyết', 'Bị từ chối'],
  suspended: ['Tạm dừng', 'Tạm dừng xử lý'],
  withdrawn: ['Rút hồ sơ', 'Công dân rút hồ sơ'],
  done: ['Đã có kết quả', 'Hoàn thành', 'Chờ trả kết quả'],
  returned: ['Trả kết quả'],
};

/** The Vietnamese label of each status (the bot's), for messages and exports. */
export const STATUS_LABELS: Record<DossierStatus, string> = BOT_STATUS_LABELS;

const STATUS_BY_KEY = new Map<string, DossierStatus>(DOSSIER_STATUSES.flatMap((s) =>
  [s, s.replace(/_/g, ' '), BOT_STATUS_LABELS[s], ...STATUS_SYNONYMS[s]].map((label) => [headerKey(label), s] as [string, DossierStatus])));

export function parseStatus(cell: string): DossierStatus | undefined {
  return STATUS_BY_KEY.get(headerKey(cell));
}

/** "Tên | https://..." per line: forms of a procedure, buttons of an FAQ. */
export function parsePairs(cell: string): Array<{ label: string; target: string }> | undefined {
  const out: Array<{ label: string; target: string }> = [];
  for (const line of splitList(cell)) {
    const at = line.lastIndexOf('|');
    if (at < 0) return undefined;
    out.push({ label: line.slice(0, at).trim(), target: line.slice(at + 1).trim() });
  }
  return out;
}

export function joinPairs(pairs: Array<{ label: string; target: string }>): string {
  return pairs.map((p) => `${p.label} | ${p.target}`).join('\n');
}
