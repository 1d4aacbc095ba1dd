// Each knowledge-base field by the label its console form shows (public/admin/js/*.js), for the audit log and the
// version history's field-by-field diff. Words follow the console's glossary: "Nhãn", "Tên gọi khác", "Từ khóa".

const COMMON = { source: 'Nguồn', sourceDate: 'Ngày của nguồn', verifiedBy: 'Xác minh bởi', verifiedAt: 'Ngày xác minh' };

export const FIELD_LABELS: Record<string, Record<string, string>> = {
  faq: { questions: 'Các cách hỏi', answer: 'Câu trả lời', buttons: 'Nút bấm kèm theo', tags: 'Nhãn', enabled: 'Đang dùng' },
  procedure: {
    name: 'Tên thủ tục', code: 'Mã thủ tục', field: 'Lĩnh vực', level: 'Cấp thực hiện', office: 'Cơ quan thực hiện',
    competentBody: 'Cơ quan có thẩm quyền', eligibility: 'Đối tượng thực hiện', documents: 'Thành phần hồ sơ',
    documentsToShow: 'Giấy tờ xuất trình', processingTime: 'Thời hạn giải quyết', fee: 'Phí, lệ phí',
    feeByProvince: 'Phí do HĐND tỉnh quy định', place: 'Nơi nộp hồ sơ', howToSubmit: 'Cách thức nộp', steps: 'Trình tự thực hiện',
    conditions: 'Điều kiện', result: 'Kết quả', onlineAvailable: 'Có nộp trực tuyến', onlineUrl: 'Đường dẫn nộp trực tuyến',
    portalUrl: 'Link Cổng DVC', legalBasis: 'Căn cứ pháp lý', decision: 'Quyết định công bố', forms: 'Mẫu đơn, tờ khai',
    aliases: 'Tên gọi khác', channels: 'Kênh nộp', ...COMMON,
  },
  model: {
    name: 'Tên mô hình', locality: 'Địa phương', province: 'Tỉnh, thành phố', agency: 'Cơ quan triển khai', year: 'Năm triển khai',
    category: 'Nhóm', summary: 'Tóm tắt', howToUse: 'Người dân sử dụng thế nào', keywords: 'Từ khóa', sourceFile: 'Tài liệu nguồn',
    agencyChanged: 'Cơ quan đã đổi tên', agencyNow: 'Tên cơ quan hiện nay', sourceNote: 'Ghi chú nguồn (chỉ cán bộ xem)', placeCodes: 'Mã địa bàn',
  },
  office: {
    name: 'Tên cơ quan', address: 'Địa chỉ', phone: 'Điện thoại', hotline: 'Đường dây nóng', email: 'Thư điện tử',
    hours: 'Giờ làm việc', website: 'Trang thông tin', note: 'Ghi chú', isPrimary: 'Cơ quan chính', workingHours: 'Giờ trực hỗ trợ',
  },
};

export const fieldLabel = (entityType: string, field: string): string => FIELD_LABELS[entityType]?.[field] ?? field;

/** A stored value as an official reads it: lists one per line, yes/no, links as "title | url", dates in Viet Nam. */
export function showValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  if (typeof value === 'boolean') return value ? 'có' : 'không';
  if (Array.isArray(value)) return value.map(showValue).join('\n');
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const title = o.title ?? o.name ?? o.channel;
    const target = o.url ?? o.payload;
    if (title !== undefined) return [title, target].filter((v) => v !== undefined).map(String).join(' | ');
    return JSON.stringify(value);
  }
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) {
    const d = new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value}Z`);
    if (!Number.isNaN(d.getTime())) return new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', dateStyle: 'short', timeStyle: 'short' }).format(d);
  }
  return String(value);
}

export interface FieldChange { field: string; label: string; before: string; after: string }

/** Field by field, in the form's order, what differs between two snapshots of one entry. */
export function diffSnapshots(entityType: string, fields: string[], before: Record<string, unknown> | null, after: Record<string, unknown>): FieldChange[] {
  return fields.flatMap((field) => {
    const a = showValue(before?.[field]);
    const b = showValue(after[field]);
    return a === b ? [] : [{ field, label: fieldLabel(entityType, field), before: a, after: b }];
  });
}
