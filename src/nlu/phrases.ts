import { toksOf, type Tok } from './normalizer.js';

// Finding known phrases (function words, aspect words, citizens' words of the lexicon) in a message, word by
// word. A word the citizen typed with diacritics matches only the same word with the same diacritics
// ("báo" is not "bao", "tử" is not "tự"); a word typed without them matches either.

export function sameWord(typed: Tok, known: Tok): boolean {
  return typed.f === known.f && (typed.a === undefined || known.a === undefined || typed.a === known.a);
}

export interface PhraseHit<V> { start: number; end: number; value: V }

export class PhraseMatcher<V> {
  /** Phrases by their first folded word, longest first. */
  private readonly byFirst = new Map<string, Array<{ toks: Tok[]; value: V }>>();

  /** Phrases as text, or already read into words. */
  constructor(entries: Iterable<[string | Tok[], V]>) {
    for (const [text, value] of entries) {
      const toks = typeof text === 'string' ? toksOf(text) : text;
      if (toks.length === 0) continue;
      const list = this.byFirst.get(toks[0].f) ?? [];
      list.push({ toks, value });
      this.byFirst.set(toks[0].f, list);
    }
    for (const list of this.byFirst.values()) list.sort((a, b) => b.toks.length - a.toks.length);
  }

  /** A matcher that only tells where the phrases are (function words, cue words...). */
  static of(phrases: Iterable<string | Tok[]>): PhraseMatcher<true> {
    return new PhraseMatcher<true>([...phrases].map((p) => [p, true]));
  }

  /** The longest phrase starting at `i`, if any. */
  at(toks: Tok[], i: number): PhraseHit<V> | undefined {
    for (const p of this.byFirst.get(toks[i].f) ?? []) {
      if (i + p.toks.length > toks.length) continue;
      let ok = true;
      // A phrase is said within one clause: none runs across a comma or a full stop.
      for (let j = 0; j < p.toks.length && ok; j++) ok = sameWord(toks[i + j], p.toks[j]) && (j === 0 || !toks[i + j].b);
      if (ok) return { start: i, end: i + p.toks.length, value: p.value };
    }
    return undefined;
  }

  /** The first phrase of the message, left to right (the longest at its start). */
  first(toks: Tok[], from = 0): PhraseHit<V> | undefined {
    for (let i = from; i < toks.length; i++) {
      const hit = this.at(toks, i);
      if (hit) return hit;
    }
    return undefined;
  }

  /** Whether any of the phrases occurs in the message. */
  occursIn(toks: Tok[]): boolean {
    return this.first(toks) !== undefined;
  }

  /**
   * Non-overlapping longest matches, left to right. With `preferLonger`, a match gives way to a longer one that
   * starts inside it and ends beyond it ("bị mất hộ chiếu": "mất hộ chiếu" rather than "bị mất").
   */
  all(toks: Tok[], preferLonger = false): PhraseHit<V>[] {
    const hits: PhraseHit<V>[] = [];
    for (let i = 0; i < toks.length;) {
      const hit = this.at(toks, i);
      if (hit && !(preferLonger && this.longerInside(toks, hit))) {
        hits.push(hit);
        i = hit.end;
      } else {
        i++;
      }
    }
    return hits;
  }

  private longerInside(toks: Tok[], hit: PhraseHit<V>): boolean {
    for (let j = hit.start + 1; j < hit.end; j++) {
      const other = this.at(toks, j);
      if (other && other.end > hit.end && other.end - other.start > hit.end - hit.start) return true;
    }
    return false;
  }

  /** The message without the matched phrases (those `keep` vetoes stay). */
  remove(toks: Tok[], keep?: (hit: PhraseHit<V>) => boolean): Tok[] {
    const out: Tok[] = [];
    let i = 0;
    for (const hit of this.all(toks)) {
      if (keep?.(hit)) continue;
      out.push(...toks.slice(i, hit.start));
      i = hit.end;
    }
    out.push(...toks.slice(i));
    return out;
  }
}
