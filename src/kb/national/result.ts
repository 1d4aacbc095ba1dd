import { clean, oneLine } from './text.js';

// "Kết quả thực hiện" as crawled: each result's name followed by its code ("Giấy khai sinhMã: KQ.G15.000031"),
// then the portal's page furniture ("Từ khóa...Mô tả...Chọn cơ quan thực hiện...Nộp hồ sơ").

const CODE = /Mã: ?KQ\.[A-Z0-9]+\.\d+/g;
const FURNITURE = /Từ khóa|Chọn cơ quan thực hiện/;

/** The result documents' names, one per line. */
export function parseResult(raw: string): string {
  const text = clean(raw);
  const cut = text.search(FURNITURE);
  const head = cut < 0 ? text : text.slice(0, cut);
  const names = head.split(CODE).map((n) => oneLine(n).replace(/^[-+*•]\s*/, '').replace(/[\s.;,]+$/, '')).filter(Boolean);
  // A few records hold other text here (rows of the document table): no result is better than that.
  if (names.some((n) => /\d bản (chính|sao)/.test(n))) return '';
  return [...new Set(names)].join('\n');
}
