import { toksOf, type Tok } from './normalizer.js';
import { PhraseMatcher, type PhraseHit } from './phrases.js';
import { mapOf, type Work } from './work.js';

/** At most this many readings of one message (the message as written is always the first). */
const MAX_READINGS = 4;

/**
 * Citizens' words for official terms ("bằng lái" -> "giấy phép lái xe"). A message is read as written and
 * with the words it recognises replaced, once per alternative meaning; ranking keeps the best reading, so a
 * record that uses the citizen's own word is never hidden by the lexicon.
 */
export class Lexicon {
  private constructor(private readonly matcher: PhraseMatcher<Tok[][]>, readonly size: number) {}

  /**
   * Reading ~900 entries into words takes 10-20 ms: a pause point every 64 (a rebuild runs between replies). The
   * meanings of `qualifiers` are read as qualifier words (Tok.q).
   */
  static *build(entries: Record<string, string[]>, qualifiers: ReadonlySet<string> = new Set()): Work<Lexicon> {
    const meaning = (term: string) => (qualifiers.has(term) ? (text: string) => toksOf(text).map((t) => ({ ...t, q: true as const })) : toksOf);
    const list = yield* mapOf(Object.entries(entries), ([term, means]) => [toksOf(term), means.map(meaning(term))] as [Tok[], Tok[][]], 64);
    return new Lexicon(new PhraseMatcher(list), list.length);
  }

  /** Official words this lexicon knows (the normaliser must not "repair" them into other words). */
  static words(entries: Record<string, string[]>): string[] {
    return Object.entries(entries).flatMap(([term, means]) => [term, ...means]);
  }

  /**
   * The message as written, then as read with the phrases found left to right (one reading per alternative
   * meaning), then, when two phrases overlap and the later one is longer ("bị mất" / "mất hộ chiếu" in "bị mất hộ
   * chiếu"), as read with the longer one: either may be what the citizen meant, the ranking keeps the better.
   */
  readings(toks: Tok[]): Tok[][] {
    const hits = this.matcher.all(toks);
    if (hits.length === 0) return [toks];
    const longer = this.matcher.all(toks, true);
    const width = Math.max(...hits.map((h) => h.value.length));
    // A qualifier is one as written too ("16 tuổi" typed is no more evidence than its meaning).
    const qualifying = hits.filter((h) => h.value[0][0]?.q);
    const out: Tok[][] = [qualifying.length === 0 ? toks
      : toks.map((t, i) => (qualifying.some((h) => h.start <= i && i < h.end) ? { ...t, q: true as const } : t))];
    const differs = !sameHits(hits, longer);
    for (let alt = 0; alt < width && out.length < MAX_READINGS - (differs ? 1 : 0); alt++) out.push(reading(toks, hits, alt));
    if (differs) out.push(reading(toks, longer, 0));
    return out;
  }
}

function sameHits(a: Array<PhraseHit<Tok[][]>>, b: Array<PhraseHit<Tok[][]>>): boolean {
  return a.length === b.length && a.every((h, i) => h.start === b[i].start && h.end === b[i].end);
}

/** The message with each phrase followed by its `alt`-th meaning (the words said count for nothing). */
function reading(toks: Tok[], hits: Array<PhraseHit<Tok[][]>>, alt: number): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  for (const hit of hits) {
    const said = toks.slice(hit.start, hit.end);
    // The meaning weighs what the words said weighed (less than 1 only in a story told before the question).
    const weight = Math.min(...said.map((t) => t.w ?? 1));
    const meaning = hit.value[Math.min(alt, hit.value.length - 1)];
    out.push(...toks.slice(i, hit.start), ...said.map((t) => ({ ...t, w: 0 })), ...(weight < 1 ? meaning.map((t) => ({ ...t, w: weight })) : meaning));
    i = hit.end;
  }
  out.push(...toks.slice(i));
  return out;
}
