import { bigrams } from './text.js';

// Finds the knowledge-base entry whose name, aliases or keywords a message mentions. Built once per
// knowledge-base version; a query touches only the entries that share a word with it (inverted index).

export interface IndexedPhrase { tokens: string[]; weight: number }
export interface IndexedDoc<T> { item: T; phrases: IndexedPhrase[] }
export interface Hit<T> { item: T; score: number }

interface PhraseEntry { doc: number; tokens: string[]; weight: number; mass: number; bigrams: string[] }

export class PhraseIndex<T> {
  private readonly phrases: PhraseEntry[] = [];
  private readonly postings = new Map<string, number[]>();
  private readonly idf = new Map<string, number>();
  private readonly docs: T[];
  /** Every word of each entry's phrases. */
  private readonly words = new Map<T, Set<string>>();

  constructor(docs: IndexedDoc<T>[]) {
    this.docs = docs.map((d) => d.item);
    for (const d of docs) this.words.set(d.item, new Set(d.phrases.flatMap((p) => p.tokens)));
    const df = new Map<string, number>();
    for (const words of this.words.values()) for (const t of words) df.set(t, (df.get(t) ?? 0) + 1);
    const n = Math.max(docs.length, 1);
    for (const [t, count] of df) this.idf.set(t, Math.log(1 + n / count));
    docs.forEach((d, doc) => {
      for (const p of d.phrases) {
        const tokens = [...new Set(p.tokens)];
        if (tokens.length === 0) continue;
        const id = this.phrases.length;
        this.phrases.push({
          doc, tokens, weight: p.weight, bigrams: bigrams(p.tokens),
          mass: tokens.reduce((s, t) => s + this.weightOf(t), 0),
        });
        for (const t of tokens) {
          const list = this.postings.get(t) ?? [];
          list.push(id);
          this.postings.set(t, list);
        }
      }
    });
  }

  get size(): number {
    return this.docs.length;
  }

  weightOf(token: string): number {
    return this.idf.get(token) ?? 0;
  }

  /** The share of `tokens` that are words of the entry's phrases (0 for an entry not in the index). */
  share(item: T, tokens: string[]): number {
    const words = this.words.get(item);
    return words && tokens.length > 0 ? tokens.filter((t) => words.has(t)).length / tokens.length : 0;
  }

  /** Entries ranked by how completely the message contains one of their phrases (score in 0..1). */
  search(tokens: string[], limit = 3): Hit<T>[] {
    const query = new Set(tokens);
    const queryBigrams = new Set(bigrams(tokens));
    const queryMass = [...query].reduce((s, t) => s + this.weightOf(t), 0);
    if (queryMass === 0) return [];
    // Accumulate matched weight per phrase from the postings: cost follows the query's words, not the catalogue.
    const matchedMass = new Map<number, number>();
    for (const t of query) {
      const w = this.weightOf(t);
      for (const id of this.postings.get(t) ?? []) matchedMass.set(id, (matchedMass.get(id) ?? 0) + w);
    }
    const best = new Map<number, { cover: number; explained: number }>();
    for (const [id, matched] of matchedMass) {
      const p = this.phrases[id];
      const cover = p.mass > 0 ? matched / p.mass : 0;
      if (cover < 0.25) continue;
      const order = p.bigrams.length ? p.bigrams.filter((b) => queryBigrams.has(b)).length / p.bigrams.length : cover;
      const phraseScore = p.weight * (0.8 * cover + 0.2 * order);
      const prev = best.get(p.doc);
      const explained = Math.min(matched / queryMass, 1);
      if (!prev || phraseScore > prev.cover || (phraseScore === prev.cover && explained > prev.explained)) {
        best.set(p.doc, { cover: phraseScore, explained: Math.max(explained, prev?.explained ?? 0) });
      } else if (explained > prev.explained) {
        prev.explained = explained;
      }
    }
    return [...best.entries()]
      .map(([doc, s]) => ({ item: this.docs[doc], score: 0.85 * s.cover + 0.15 * s.explained }))
      .sort((a, b) => b.score - a.score)
      .slice(0, limit);
  }
}
