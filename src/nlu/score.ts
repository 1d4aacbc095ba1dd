// Scores as people give them in a message: whether a message rates (read before any phrase said outright), and the
// stars it states (the rating form takes them instead of asking).

/** 1-5 followed by "sao", a star sign: "5 sao", "5*", "4⭐". */
const STARS = /(?:^|[^\d])[1-5]\s*(?:sao\b|\*|⭐)/u;
/** "chấm 3 điểm", "chấm bot 2 điểm", "cho 2đ". */
const MARKED = /(?:chấm|cho)(?:\s+[\p{L}]+)?\s*(?:\d{1,2})\s*(?:điểm|diem|đ)(?![\p{L}\d])/u;
/** "7/10", "4/5", "10 điểm", "10đ": counted in a short message without a date or a sum only. */
const OUT_OF = /(?:^|[^\d/])(?:\d{1,2})\s*\/\s*(?:5|10)(?![\d/])|(?:^|[^\d])(?:\d{1,2})\s*(?:điểm|diem|đ)(?![\p{L}\d])/u;
const SHORT = 8;
/** Nothing but stars ("⭐⭐⭐⭐⭐"), or a row of star signs anywhere ("tuyệt vời ⭐⭐⭐⭐⭐"). */
const STAR_ROW = /^\s*(?:⭐|★|\*){1,5}\s*$|(?:⭐|★){2,5}/u;
/** A date or a sum beside "4/5", "10đ": "nộp hôm 4/5", "lệ phí 10đ". */
const DATED = /ngày|hôm|bữa|tháng|nộp|hẹn|từ|đến|tới|phí|tiền|giá/u;
/** Stars that rate a hotel, not the office; "3 sao" typed plain that measure land ("sào"). */
const NOT_RATED = /khách sạn|khach san|nhà nghỉ|nha nghi|resort|homestay|đất|\bdat\b|ruộng|ruong|vườn|vuon|lúa|thửa|thua dat|khai hoang|canh tác|canh tac/u;

/**
 * A score given the way people rate: "5 sao", "5*", "chấm 3 điểm", "chấm 2đ", "7/10", "⭐⭐⭐⭐", and in a short message
 * "4/5", "10 điểm" (a longer one with "4/5" is more often a date: "nộp hôm 4/5").
 */
export function givesScore(text: string): boolean {
  const t = text.toLowerCase();
  const scored = STARS.test(t) || MARKED.test(t) || STAR_ROW.test(t)
    || (OUT_OF.test(t) && t.split(/\s+/).length <= SHORT && !DATED.test(t));
  return scored && !NOT_RATED.test(t);
}

/**
 * Stars stated in a message ("tôi đánh giá 5 sao", "ok 5* nha", "dc 4/5 nha ad", "tuyệt vời ⭐⭐⭐⭐"): a row of star signs
 * counted, else the first 1-5 followed by "sao", a star or "/5"; null when none is, or when two different ones are
 * ("3 sao hay 4 sao").
 */
export function statedStars(raw: string): number | null {
  const text = raw.normalize('NFC');
  const row = /(?:⭐|★){1,5}/u.exec(text);
  if (row && !/\d\s*(?:⭐|★)/u.test(text)) return [...row[0]].length;
  const found = [...text.toLowerCase().matchAll(/(?:^|[^\d/])([1-5])\s*(?:sao(?![\p{L}])|\*|⭐|★|\/\s*5(?![\d/]))/gu)].map((m) => Number(m[1]));
  return found.length > 0 && found.every((n) => n === found[0]) ? found[0] : null;
}
