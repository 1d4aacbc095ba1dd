import { toksOf, type Tok } from './normalizer.js';
import { PhraseMatcher } from './phrases.js';

/** At most this many readings of one message (the message as written is always the first). */
const MAX_READINGS = 4;

/**
 * Citizens' words for official terms ("bằng lái" -> "giấy phép lái xe"). A message is read as written and
 * with the words it recognises replaced, once per alternative meaning; ranking keeps the best reading, so a
 * record that uses the citizen's own word is never hidden by the lexicon.
 */
export class Lexicon {
  private readonly matcher: PhraseMatcher<Tok[][]>;
  readonly size: number;

  constructor(entries: Record<string, string[]>) {
    const list = Object.entries(entries).map(([term, means]) => [term, means.map(toksOf)] as [string, Tok[][]]);
    this.matcher = new PhraseMatcher(list);
    this.size = list.length;
  }

  /** Official words this lexicon knows (the normaliser must not "repair" them into other words). */
  static words(entries: Record<string, string[]>): string[] {
    return Object.entries(entries).flatMap(([term, means]) => [term, ...means]);
  }

  readings(toks: Tok[]): Tok[][] {
    const hits = this.matcher.all(toks);
    if (hits.length === 0) return [toks];
    const width = Math.max(...hits.map((h) => h.value.length));
    const out: Tok[][] = [toks];
    for (let alt = 0; alt < width && out.length < MAX_READINGS; alt++) {
      const reading: Tok[] = [];
      let i = 0;
      for (const hit of hits) {
        const said = toks.slice(hit.start, hit.end).map((t) => ({ ...t, w: 0 }));
        reading.push(...toks.slice(i, hit.start), ...said, ...hit.value[Math.min(alt, hit.value.length - 1)]);
        i = hit.end;
      }
      reading.push(...toks.slice(i));
      out.push(reading);
    }
    return out;
  }
}
