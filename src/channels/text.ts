// Text limits both platforms share: split long answers on natural boundaries, shorten titles safely.

const ELLIPSIS = '…';

/** Shortens to `max` characters with an ellipsis, never splitting a surrogate pair. */
export function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  let cut = max - ELLIPSIS.length;
  if (/[\uD800-\uDBFF]/.test(value[cut - 1] ?? '')) cut -= 1;
  return value.slice(0, cut).trimEnd() + ELLIPSIS;
}

// Boundaries from best to worst. A paragraph or sentence break too close to the start would leave a tiny
// chunk, so those only count past 30% of the limit; a word break anywhere beats cutting inside a word.
const BOUNDARIES: Array<{ pattern: RegExp; minShare: number }> = [
  { pattern: /\n[ \t]*\n\s*/g, minShare: 0.3 },
  { pattern: /[.!?…][)"'”’»\]]*\s+/g, minShare: 0.3 },
  { pattern: /\n\s*/g, minShare: 0.3 },
  { pattern: /\s+/g, minShare: 0 },
];

function findCut(text: string, max: number): number {
  // One character past the limit: whitespace right at the limit is still a valid word boundary.
  const window = text.slice(0, max + 1);
  for (const { pattern, minShare } of BOUNDARIES) {
    let best = -1;
    for (const m of window.matchAll(pattern)) {
      const headLength = m.index + m[0].trimEnd().length;
      if (headLength > 0 && headLength <= max && headLength >= max * minShare) best = m.index + m[0].length;
    }
    if (best > 0) return best;
  }
  // One unbroken "word" longer than the limit (a URL, say): cut hard, never between a letter and its mark.
  let cut = max;
  while (cut > 1 && (/\p{M}/u.test(text[cut]) || /[\uDC00-\uDFFF]/.test(text[cut]))) cut -= 1;
  return cut;
}

/** Splits text into chunks of at most `max` characters on paragraph, sentence or word boundaries. */
export function splitText(text: string, max: number): string[] {
  const chunks: string[] = [];
  // NFC: Vietnamese typed in decomposed form is up to twice as long and could be cut between letter and tone.
  let rest = text.normalize('NFC').trim();
  while (rest.length > max) {
    const cut = findCut(rest, max);
    chunks.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) chunks.push(rest);
  return chunks;
}

// PostgreSQL refuses NUL in text and jsonb, and lone UTF-16 surrogates cannot be encoded: such a message would
// fail to be stored, answer 500, and be redelivered by the platform forever.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text PostgreSQL can store: NUL removed, a lone surrogate replaced by U+FFFD. */
export function storableText(value: string): string {
  return value.replace(UNSTORABLE, (c) => (c === '\u0000' ? '' : '\uFFFD'));
}

/** Every string inside `value` made storable (used on inbound messages at the webhook boundary). */
export function storable<T>(value: T): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (Array.isArray(value)) return value.map(storable) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableText(k), storable(v)])) as T;
  }
  return value;
}
