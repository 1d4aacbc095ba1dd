// Replaces personal data in free text (Nghị định 13/2023/NĐ-CP): values known from the citizen's own records
// (name, phone, address) wherever they appear, then what looks like a phone, an ID number or an e-mail address,
// a name after "tên tôi là", "họ tên:", an address after "địa chỉ", "số nhà", and a form summary's labelled lines.

export const REDACTED = { name: '[họ tên]', phone: '[số điện thoại]', id: '[số giấy tờ]', email: '[email]', address: '[địa chỉ]', text: '[đã ẩn]' } as const;

const PHONE = /(?<![\p{L}\p{N}])(?:\(?\+?84\)?|0)(?:[\s.-]*\d){8,10}(?![\p{L}\p{N}])/gu;
const ID_NUMBER = /(?<![\p{L}\p{N}.-])(?:\d{12}|\d{9})(?![\p{L}\p{N}.-])/gu;
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/gu;
const UPPER_WORD = String.raw`\p{Lu}[\p{Ll}\p{M}]*`;
/** Letters of a cue in either case; the name after it must start with capitals, so the regex is case-sensitive. */
const anyCase = (s: string) => s.replace(/\p{L}/gu, (c) => (c.toLowerCase() === c.toUpperCase() ? c : `[${c.toLowerCase()}${c.toUpperCase()}]`));
const NAME_CUES = ['họ và tên', 'họ tên', 'tên tôi', 'tên em', 'tên mình', 'tên cháu', 'tên con', 'tên của tôi', 'tôi tên', 'tôi là', 'em là',
  'mình là', 'người nộp', 'chủ hồ sơ'].map((c) => anyCase(c).replace(/ /g, String.raw`\s+`)).join('|');
const NAME_AFTER_CUE = new RegExp(String.raw`((?:${NAME_CUES})(?:\s+là)?[ \t]*:?[ \t]*)${UPPER_WORD}(?:[ \t]+${UPPER_WORD}){0,5}`, 'gu');
const ADDRESS_AFTER_CUE = /((?:địa\s+chỉ|số\s+nhà|nhà\s+ở|ở\s+số|thường\s+trú\s+(?:tại|ở)|tạm\s+trú\s+(?:tại|ở)|cư\s+trú\s+(?:tại|ở)|sống\s+ở)(?:\s+là)?\s*:?\s*)[^\n;]+/giu;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The text with personal data replaced; `known` are the citizen's own values (names, phones, addresses). */
export function redact(text: string, known: { names?: string[]; phones?: string[]; addresses?: string[] } = {}): string {
  let out = text;
  const replaceKnown = (values: string[] | undefined, label: string) => {
    for (const v of (values ?? []).map((x) => x.trim()).filter((x) => x.length >= 4).sort((a, b) => b.length - a.length)) {
      out = out.replace(new RegExp(escape(v), 'giu'), label);
    }
  };
  replaceKnown(known.addresses, REDACTED.address);
  replaceKnown(known.names, REDACTED.name);
  replaceKnown(known.phones, REDACTED.phone);
  return out
    .replace(EMAIL, REDACTED.email)
    .replace(PHONE, REDACTED.phone)
    .replace(ID_NUMBER, REDACTED.id)
    .replace(NAME_AFTER_CUE, (_m, cue: string) => `${cue}${REDACTED.name}`)
    .replace(ADDRESS_AFTER_CUE, (_m, cue: string) => `${cue}${REDACTED.address}`);
}

/** Every string inside a JSON value redacted (reply payloads, form state). */
export function redactJson<T>(value: T, known: Parameters<typeof redact>[1]): T {
  if (typeof value === 'string') return redact(value, known) as T;
  if (Array.isArray(value)) return value.map((v) => redactJson(v, known)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactJson(v, known)])) as T;
  return value;
}
