import { bigrams } from './text.js';

// Cosine similarity between a message and stored sentences (FAQ questions, phrasings officials taught),
// with tf-idf weights over words and word pairs. Built once per knowledge-base version.

export interface SimilarHit<T> { item: T; score: number }

type Vector = Map<string, number>;

export class SimilarityIndex<T> {
  private readonly vectors: Array<{ item: T; vector: Vector }> = [];
  private readonly postings = new Map<string, number[]>();
  private readonly idf = new Map<string, number>();

  constructor(entries: Array<{ item: T; tokens: string[] }>) {
    const df = new Map<string, number>();
    const termLists = entries.map((e) => terms(e.tokens));
    for (const list of termLists) for (const t of new Set(list)) df.set(t, (df.get(t) ?? 0) + 1);
    const n = Math.max(entries.length, 1);
    for (const [t, count] of df) this.idf.set(t, Math.log(1 + n / count));
    entries.forEach((e, i) => {
      this.vectors.push({ item: e.item, vector: this.vectorize(termLists[i]) });
      for (const t of this.vectors[i].vector.keys()) {
        const list = this.postings.get(t) ?? [];
        list.push(i);
        this.postings.set(t, list);
      }
    });
  }

  search(tokens: string[], limit = 3): SimilarHit<T>[] {
    const query = this.vectorize(terms(tokens));
    const scores = new Map<number, number>();
    for (const [t, w] of query) {
      for (const i of this.postings.get(t) ?? []) scores.set(i, (scores.get(i) ?? 0) + w * this.vectors[i].vector.get(t)!);
    }
    return [...scores.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([i, score]) => ({ item: this.vectors[i].item, score }));
  }

  private vectorize(list: string[]): Vector {
    const v: Vector = new Map();
    for (const t of list) {
      const idf = this.idf.get(t);
      if (idf !== undefined) v.set(t, (v.get(t) ?? 0) + idf);
    }
    const norm = Math.sqrt([...v.values()].reduce((s, x) => s + x * x, 0)) || 1;
    for (const [t, x] of v) v.set(t, x / norm);
    return v;
  }
}

function terms(tokens: string[]): string[] {
  return [...tokens, ...bigrams(tokens)];
}
