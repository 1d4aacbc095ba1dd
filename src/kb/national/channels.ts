import { clean, joinOr, oneLine } from './text.js';

// "Cách thức thực hiện" as crawled: the portal's table "Hình thức nộp | Thời gian | Phí, lệ phí | Mô tả" run
// together without separators, one run per channel:
//   "Trực tuyến10 Ngày làm việcMiễn phíTrong thời hạn 10 ngày...Trực tiếp10 Ngày làm việc50,000 Việt Nam Đồng(...)"
// A run starts where a channel name is followed at once by a time and a fee; channel names inside the
// descriptions ("Trực tiếp: nộp hồ sơ tại...") are not followed by both and stay in the description.

export const CHANNEL_NAMES = ['Trực tiếp', 'Trực tuyến', 'Dịch vụ bưu chính'] as const;

/** One submission channel as the record gives it; '' where the portal shows nothing. */
export interface Channel {
  channel: string;
  /** Processing time ("10 ngày làm việc"). */
  time: string;
  /** Fee as a citizen should read it ("50.000 đồng (Lệ phí cấp lần đầu)", "Miễn phí"). */
  fee: string;
  /** The portal's description of the channel. */
  note: string;
}

const HEADER = 'Hình thức nộpThời gianPhí, lệ phíMô tả';
const CHANNEL_AT = /Trực tiếp|Trực tuyến|Dịch vụ bưu chính/g;
const UNIT = /^(\d+(?:[.,]\d+)?) (Ngày làm việc|Ngày|Giờ làm việc|Giờ|Tháng|Năm|Phút|Tuần)/;
const FEE_AT = /^(?:Miễn phí|Không có thông tin|[\d.,]* ?(?:Việt Nam Đồng|VNĐ))/;
/** A time without a unit runs into the fee: "1Miễn phí"; "1200 VNĐ" is "1" then "200 VNĐ" (seen: one digit). */
const BARE = /^(\d+(?:[.,]\d+)?)(?=Miễn phí|Không có thông tin)|^(\d)(?=[\d.,]* ?(?:Việt Nam Đồng|VNĐ))/;
/** Wordings of the time column other than a number ("Không quy định", "Không phải trả kết quả ..."). */
const WORDS = /^(\p{Lu}[^]{0,299}?)(?=Miễn phí|Không có thông tin|[\d.,]* ?(?:Việt Nam Đồng|VNĐ))/u;

interface Run { channel: string; start: number; end: number; time: string; fee: string }

export function parseChannels(raw: string): Channel[] {
  const text = clean(raw).replace(HEADER, '');
  const runs: Run[] = [];
  for (const m of text.matchAll(CHANNEL_AT)) {
    const at = m.index + m[0].length;
    if (runs.length && m.index < runs[runs.length - 1].end) continue;
    const run = readRun(text, at);
    if (run) runs.push({ channel: m[0], start: m.index, ...run });
  }
  return runs.map((r, i) => ({
    channel: r.channel,
    time: r.time,
    fee: r.fee,
    note: oneLine(text.slice(r.end, runs[i + 1]?.start ?? text.length)),
  }));
}

/** Time and fee right after a channel name at `at`, or undefined when this is not the start of a run. */
function readRun(text: string, at: number): { end: number; time: string; fee: string } | undefined {
  const rest = text.slice(at);
  let time: string;
  let used: number;
  const unit = UNIT.exec(rest);
  const bare = unit ? null : BARE.exec(rest);
  const words = unit || bare ? null : WORDS.exec(rest);
  if (unit) [time, used] = [`${decimal(unit[1])} ${unit[2].toLowerCase()}`, unit[0].length];
  else if (bare) [time, used] = [`${decimal(bare[1] ?? bare[2])} (không ghi đơn vị)`, (bare[1] ?? bare[2]).length];
  else if (words) [time, used] = [clean(words[1]).replace(/[\s.;]+$/, ''), words[1].length];
  else return undefined;
  const feeAt = FEE_AT.exec(rest.slice(used));
  if (!feeAt) return undefined;
  let end = at + used + feeAt[0].length;
  let feeNote = '';
  if (text[end] === '(') {
    const close = closingParen(text, end);
    feeNote = tidyNote(text.slice(end + 1, close < 0 ? text.length : close));
    end = close < 0 ? text.length : close + 1;
  }
  return { end, time, fee: feeText(feeAt[0], feeNote) };
}

function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

const decimal = (n: string) => n.replace('.', ',');

/** "Đồng (Mức lệ phí ...)" (the currency of an empty amount, then the note in brackets) -> "Mức lệ phí ...". */
function tidyNote(raw: string): string {
  let note = oneLine(raw).replace(/^đồng\s*(?=\()/i, '');
  if (note.startsWith('(') && closingParen(note, 0) === note.length - 1) note = note.slice(1, -1).trim();
  return note.replace(/[\s.;]+$/, '');
}

/** Notes that say there is nothing to pay. */
const NOTHING = /^(không|không có|không quy định|chưa quy định|không thu|không thu phí|không thu lệ phí|miễn phí)$/i;
/** Notes that state or point to the fee itself rather than qualify the case ("Đối với sân bay chuyên dùng"). */
const ABOUT_FEE = /phí|đồng|\dđ|giá|thu |mức|hội đồng|hđnd|thông tư|nghị định|quyết định|quy định|luật/i;

/**
 * The portal shows "Miễn phí" whenever the amount field is 0, even when its note gives the fee ("Miễn phí
 * (Lệ phí cấp mới 40.000 đồng/lần)"): then the note is the fee. Amounts under 1,000 are not shown as amounts:
 * the portal lost the thousands ("40 Việt Nam Đồng (40.000 đồng/giấy)") or meant another currency, so the
 * note is shown instead, or the amount as written with a warning when there is no note.
 */
function feeText(amount: string, note: string): string {
  if (amount === 'Miễn phí') {
    if (!note || NOTHING.test(note)) return 'Miễn phí';
    return ABOUT_FEE.test(note) ? note : `Miễn phí (${note})`;
  }
  if (amount === 'Không có thông tin') return note;
  const digits = amount.replace(/[^\d]/g, '');
  const value = digits ? Number(digits) : 0;
  if (value >= 1000) return `${String(value).replace(/\B(?=(\d{3})+(?!\d))/g, '.')} đồng${note ? ` (${note})` : ''}`;
  if (note) return note;
  return value > 0 ? `${amount.trim()} (như Cổng Dịch vụ công quốc gia ghi, cần kiểm tra lại mức phí)` : '';
}

/** One value, or "Trực tiếp, Dịch vụ bưu chính: X; Trực tuyến: Y" when the channels differ. */
function summary(channels: Channel[], pick: (c: Channel) => string): string {
  const withValue = channels.filter((c) => pick(c) !== '');
  if (withValue.length === 0) return '';
  const groups = new Map<string, string[]>();
  for (const c of withValue) {
    const names = groups.get(pick(c)) ?? [];
    if (!names.includes(c.channel)) names.push(c.channel);
    groups.set(pick(c), names);
  }
  if (groups.size === 1 && withValue.length === channels.length) return [...groups.keys()][0];
  return [...groups].map(([value, names]) => `${names.join(', ')}: ${value}`).join('; ');
}

export const processingTimeOf = (channels: Channel[]) => summary(channels, (c) => c.time);
export const feeOf = (channels: Channel[]) => summary(channels, (c) => c.fee);

const HOW: Record<string, string> = { 'Trực tiếp': 'trực tiếp', 'Trực tuyến': 'trực tuyến', 'Dịch vụ bưu chính': 'qua dịch vụ bưu chính' };

/** "Nộp trực tiếp, trực tuyến hoặc qua dịch vụ bưu chính." */
export function howToSubmitOf(channels: Channel[]): string {
  const ways = CHANNEL_NAMES.filter((n) => channels.some((c) => c.channel === n)).map((n) => HOW[n]);
  return ways.length ? `Nộp ${joinOr(ways)}.` : '';
}

export const isOnline = (channels: Channel[]) => channels.some((c) => c.channel === 'Trực tuyến');
