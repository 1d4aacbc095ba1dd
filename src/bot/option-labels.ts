import { truncate } from '../channels/text.js';
import { clean, fold, tokenize } from '../nlu/text.js';

// Labels for "which procedure?" options that differ at a glance: the numbered text gives each full name
// (shortened), the buttons only what tells the options apart ("Có yếu tố nước ngoài", "Lưu động", "Cấp lại").

/** Messenger shows 20 characters of a quick reply; Zalo more. Labels are written for the smaller. */
export const OPTION_LABEL_LIMIT = 20;
const NAME_LIMIT = 140;
const LEVEL = /\s*\((?:thực hiện |thực hiện ở |thực hiện tại |tại |ở )?cấp [^)]*\)/giu;

/** "Thủ tục đăng ký khai sinh (thực hiện tại cấp xã)" -> "Đăng ký khai sinh". */
export function displayName(name: string): string {
  const short = name.replace(/^thủ tục\s+/iu, '').replace(LEVEL, '').replace(/\s+/g, ' ').trim();
  return short.charAt(0).toUpperCase() + short.slice(1);
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/** A run of own words that starts with one of these is a qualifier cut from its head ("trong trường hợp…"). */
const QUALIFIER_START = /^(?:trong|của|cho|đối với|với|và|hoặc|theo|tại|ở|khi|do|bị|từ|trường hợp)(?:\s|$)/iu;

/** For each name, the shortest run of its own words that the other names do not share. */
export function optionLabels(names: string[]): string[] {
  const shown = names.map(displayName);
  const words = shown.map((n) => n.split(/\s+/));
  const folded = words.map((ws) => ws.map((w) => fold(clean(w)).replace(/[^\p{L}\p{N}]/gu, '')));
  const common = new Set(folded[0].filter((w) => folded.every((f) => f.includes(w))));
  const labels = words.map((ws, i) => {
    const own = ws.filter((_, j) => folded[i][j] && !common.has(folded[i][j]));
    const text = own.join(' ').replace(/^[,;:\s]+|[,;:\s]+$/g, '');
    // "Giải thể doanh nghiệp, giải thể trong trường hợp…" beside another dissolution: "Trong trường hợp…" alone
    // would not say what the option is; its name's beginning does.
    return capitalise(text && !QUALIFIER_START.test(text) ? text : shown[i]);
  });
  // Two labels that would read the same once shortened keep their full names.
  const cut = labels.map((l) => truncate(l, OPTION_LABEL_LIMIT));
  return cut.map((l, i) => (cut.indexOf(l) !== i || cut.lastIndexOf(l) !== i ? truncate(shown[i], OPTION_LABEL_LIMIT) : l));
}

/** The numbered lines of the options' names. */
export function numberedNames(names: string[]): string {
  return names.map((n, i) => `${i + 1}. ${truncate(displayName(n), NAME_LIMIT)}`).join('\n');
}

const ORDINALS: Record<string, number> = { mot: 1, nhat: 1, hai: 2, nhi: 2, ba: 3, bon: 4, tu: 4 };

/** "2", "số 2", "cái thứ hai", "phương án 3" -> the option number; undefined when the message is something else. */
export function pickedNumber(text: string, count: number): number | undefined {
  const words = tokenize(fold(clean(text)));
  if (words.length === 0 || words.length > 4) return undefined;
  const filler = new Set(['so', 'cai', 'thu', 'phuong', 'an', 'muc', 'y', 'chon', 'la', 'em', 'a', 'nhe', 'thu tuc']);
  const rest = words.filter((w) => !filler.has(w));
  if (rest.length !== 1) return undefined;
  const n = /^\d+$/.test(rest[0]) ? Number(rest[0]) : ORDINALS[rest[0]];
  return n !== undefined && n >= 1 && n <= count ? n : undefined;
}
