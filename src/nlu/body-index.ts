import { eachOf, type Work } from './work.js';

// BM25 over everything a record says besides its name: the documents to submit, conditions, who it is for,
// the result, the steps. A citizen who tells a situation ("sổ lưu ở xã cũng không còn", "chưa đăng ký kết hôn
// mà có con") often uses the words of these texts rather than of the name.

const K1 = 1.2;
const B = 0.75;
/** Enough of each record to describe it; the steps of some records run to tens of thousands of characters. */
export const BODY_CHARS = 2500;

export class BodyIndex {
  private readonly postings = new Map<string, { docs: Int32Array; tfs: Uint16Array }>();
  private lengths = new Float64Array(0);
  private avgLength = 1;
  private readonly idf = new Map<string, number>();

  private constructor() {}

  /** The index of `docs` (`docs[i]`: the folded content words of record i's texts), with pause points (see work.ts). */
  static *build(docs: string[][]): Work<BodyIndex> {
    const index = new BodyIndex();
    yield* index.fill(docs);
    return index;
  }

  private *fill(docs: string[][]): Work<void> {
    this.lengths = new Float64Array(docs.length);
    const lists = new Map<string, Array<[number, number]>>();
    yield* eachOf(docs, (words, id) => {
      this.lengths[id] = words.length;
      const tf = new Map<string, number>();
      for (const w of words) tf.set(w, (tf.get(w) ?? 0) + 1);
      for (const [w, n] of tf) {
        const list = lists.get(w) ?? [];
        list.push([id, Math.min(n, 65_535)]);
        lists.set(w, list);
      }
    }, 8);
    const total = this.lengths.reduce((a, b) => a + b, 0);
    this.avgLength = docs.length ? total / docs.length || 1 : 1;
    const n = docs.length;
    yield* eachOf(lists, ([w, list]) => {
      this.postings.set(w, { docs: Int32Array.from(list.map(([d]) => d)), tfs: Uint16Array.from(list.map(([, t]) => t)) });
      this.idf.set(w, Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5)));
    }, 128);
  }

  /**
   * BM25 of every record sharing a word with the message, written into `into` (one slot per record, all 0
   * before); returns the records written.
   */
  scores(words: Iterable<string>, into: Float64Array): number[] {
    const hit: number[] = [];
    for (const w of new Set(words)) {
      const p = this.postings.get(w);
      if (!p) continue;
      const idf = this.idf.get(w)!;
      for (let i = 0; i < p.docs.length; i++) {
        const d = p.docs[i];
        const tf = p.tfs[i];
        if (into[d] === 0) hit.push(d);
        into[d] += idf * ((tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * this.lengths[d]) / this.avgLength)));
      }
    }
    return hit;
  }
}
