import type { z } from 'zod';

// The console's one zod error map: a short message in plain Vietnamese about the value, never naming the field
// (the page names it as its form labels it) and never zod's wording ("Quá nhỏ: mong đợi string có >=1 ký tự").

const UNITS: Record<string, string> = { string: 'ký tự', array: 'mục', set: 'mục', file: 'byte' };
const TYPES: Record<string, string> = {
  string: 'một đoạn chữ', number: 'một số', int: 'một số nguyên', boolean: 'có hoặc không', date: 'một ngày hợp lệ',
  array: 'một danh sách', object: 'một nhóm thông tin',
};
const FORMATS: Record<string, string> = {
  url: 'Phải là đường dẫn đầy đủ, bắt đầu bằng http:// hoặc https://.',
  email: 'Phải là địa chỉ thư điện tử, ví dụ ten@xa.gov.vn.',
  regex: 'Không đúng định dạng.',
};
const n = (v: unknown) => new Intl.NumberFormat('vi-VN').format(Number(v));

export const consoleErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined || issue.input === null || issue.input === '') return 'Chưa nhập.';
      return `Phải là ${TYPES[issue.expected] ?? 'giá trị hợp lệ'}.`;
    case 'too_small': {
      const unit = UNITS[issue.origin ?? ''];
      if (unit && Number(issue.minimum) === 1) return issue.origin === 'string' ? 'Chưa nhập.' : 'Cần ít nhất một mục.';
      return unit ? `Cần ít nhất ${n(issue.minimum)} ${unit}.` : `Phải từ ${n(issue.minimum)} trở lên.`;
    }
    case 'too_big': {
      const unit = UNITS[issue.origin ?? ''];
      return unit ? `Dài quá: tối đa ${n(issue.maximum)} ${unit}.` : `Phải không quá ${n(issue.maximum)}.`;
    }
    case 'invalid_format':
      return FORMATS[issue.format] ?? 'Không đúng định dạng.';
    case 'invalid_value':
      return 'Giá trị này không có trong danh sách được chọn.';
    case 'unrecognized_keys':
      return `Có trường không dùng được: ${issue.keys.join(', ')}.`;
    default:
      return 'Giá trị chưa hợp lệ.';
  }
};
