import { eachOf, type Work } from './work.js';

// BM25 over everything a record says besides its name: the documents to submit, conditions, who it is for,
// the result, the steps. A citizen who tells a situation ("sổ lưu ở xã cũng không còn", "chưa đăng ký kết hôn
// mà có con") often uses the words of these texts rather than of the name.

const K1 = 1.2;
const B = 0.75;
/** Enough of each record to describe it; the steps of some records run to tens of thousands of characters. */
export const BODY_CHARS = 2500;

export class BodyIndex {
  /**
   * The postings of all words in three flat arrays: word w's are docs/tfs[starts[w] .. starts[w + 1]), records in
   * ascending order. A few large arrays instead of two typed arrays per word (tens of thousands of them with the
   * national catalogue), and no [record, count] pair per posting while building (about a million), which the
   * young-generation collections copied while the bot waited.
   */
  private readonly wordIds = new Map<string, number>();
  private starts = new Int32Array(1);
  private docs = new Int32Array(0);
  private tfs = new Uint16Array(0);
  private idf = new Float64Array(0);
  private lengths = new Float64Array(0);
  private avgLength = 1;

  private constructor() {}

  /** The index of `docs` (`docs[i]`: the folded content words of record i's texts), with pause points (see work.ts). */
  static *build(docs: string[][]): Work<BodyIndex> {
    const index = new BodyIndex();
    yield* index.fill(docs);
    return index;
  }

  private *fill(docs: string[][]): Work<void> {
    const n = docs.length;
    this.lengths = new Float64Array(n);
    // One pass over the records: each (record, word, count) written into three flat arrays sized for the worst case
    // (every word of every record distinct), so they never grow and copy.
    let most = 0;
    for (const words of docs) most += words.length;
    const byDoc = new Int32Array(most);
    const byWord = new Int32Array(most);
    const counts = new Uint16Array(most);
    let postings = 0;
    const df: number[] = [];
    yield* eachOf(docs, (words, id) => {
      this.lengths[id] = words.length;
      const tf = new Map<string, number>();
      for (const w of words) tf.set(w, (tf.get(w) ?? 0) + 1);
      for (const [w, count] of tf) {
        let wid = this.wordIds.get(w);
        if (wid === undefined) {
          wid = this.wordIds.size;
          this.wordIds.set(w, wid);
          df.push(0);
        }
        df[wid]++;
        byDoc[postings] = id;
        byWord[postings] = wid;
        counts[postings++] = Math.min(count, 65_535);
      }
    }, 8);
    const total = this.lengths.reduce((a, b) => a + b, 0);
    this.avgLength = n ? total / n || 1 : 1;
    yield;
    const words = df.length;
    this.starts = new Int32Array(words + 1);
    this.idf = new Float64Array(words);
    for (let w = 0; w < words; w++) {
      this.starts[w + 1] = this.starts[w] + df[w];
      this.idf[w] = Math.log(1 + (n - df[w] + 0.5) / (df[w] + 0.5));
    }
    yield;
    // Records were appended in ascending order, so each word's slice fills in ascending order too.
    this.docs = new Int32Array(postings);
    this.tfs = new Uint16Array(postings);
    const next = this.starts.slice(0, words);
    for (let i = 0; i < postings; i++) {
      const at = next[byWord[i]]++;
      this.docs[at] = byDoc[i];
      this.tfs[at] = counts[i];
      if (i % 8192 === 8191) yield;
    }
  }

  /**
   * BM25 of every record sharing a word with the message, written into `into` (one slot per record, all 0
   * before); returns the records written.
   */
  scores(words: Iterable<string>, into: Float64Array): number[] {
    const hit: number[] = [];
    for (const w of new Set(words)) {
      const wid = this.wordIds.get(w);
      if (wid === undefined) continue;
      const idf = this.idf[wid];
      for (let i = this.starts[wid], end = this.starts[wid + 1]; i < end; i++) {
        const d = this.docs[i];
        const tf = this.tfs[i];
        if (into[d] === 0) hit.push(d);
        into[d] += idf * ((tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * this.lengths[d]) / this.avgLength)));
      }
    }
    return hit;
  }
}
