import { bigrams } from './text.js';
import { runNow, type Work } from './work.js';

// Multinomial logistic regression over sparse word features (unigrams and bigrams of folded tokens).
// Trained in milliseconds at start-up and on every knowledge-base change; gives calibrated probabilities,
// which the decision rules in nlu.ts rely on.

export interface Example { tokens: string[]; accented?: string[]; label: string }
export interface Scored { label: string; p: number }
export interface TrainOptions { epochs?: number; rate?: number; l2?: number; seed?: number }

export function features(tokens: string[], accented: string[] = []): string[] {
  const set = new Set<string>();
  for (const t of tokens) set.add(`w:${t}`);
  for (const t of accented) set.add(`a:${t}`);
  for (const b of bigrams(tokens)) set.add(`b:${b}`);
  return [...set];
}

export class IntentClassifier {
  private readonly index = new Map<string, number>();
  private weights: Float64Array = new Float64Array(0);
  private bias: Float64Array;

  constructor(readonly labels: readonly string[]) {
    this.bias = new Float64Array(labels.length);
  }

  train(examples: Example[], opts: TrainOptions = {}): this {
    return runNow(this.training(examples, opts));
  }

  /** `train`, with a pause point after each epoch (a few milliseconds each). */
  *training(examples: Example[], { epochs = 30, rate = 0.5, l2 = 1e-4, seed = 7 }: TrainOptions = {}): Work<this> {
    const rows = examples.map((e) => ({
      feats: features(e.tokens, e.accented).map((f) => this.featureId(f)),
      y: this.labels.indexOf(e.label),
    })).filter((r) => r.y >= 0 && r.feats.length > 0);
    yield;
    const k = this.labels.length;
    this.weights = new Float64Array(this.index.size * k);
    this.bias = new Float64Array(k);
    let state = seed;
    const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
    const order = rows.map((_, i) => i);
    const p = new Float64Array(k);
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      const lr = rate / (1 + epoch * 0.2);
      for (let n = 0; n < order.length; n++) {
        if (n % 256 === 255) yield;
        const { feats, y } = rows[order[n]];
        this.scores(feats, p);
        const scale = 1 / Math.sqrt(feats.length);
        for (let c = 0; c < k; c++) {
          const g = (c === y ? 1 : 0) - p[c];
          this.bias[c] += lr * g * 0.1;
          for (const f of feats) {
            const w = f * k + c;
            this.weights[w] += lr * (g * scale - l2 * this.weights[w]);
          }
        }
      }
      yield;
    }
    return this;
  }

  predict(tokens: string[], accented: string[] = []): Scored[] {
    const feats: number[] = [];
    for (const f of features(tokens, accented)) {
      const id = this.index.get(f);
      if (id !== undefined) feats.push(id);
    }
    const p = new Float64Array(this.labels.length);
    this.scores(feats, p);
    return this.labels.map((label, i) => ({ label, p: p[i] })).sort((a, b) => b.p - a.p);
  }

  /** Share of the message's features the classifier has seen in training (0 for a message of unknown words). */
  coverage(tokens: string[]): number {
    const feats = features(tokens).filter((f) => f.startsWith('w:'));
    if (feats.length === 0) return 0;
    return feats.filter((f) => this.index.has(f)).length / feats.length;
  }

  private featureId(f: string): number {
    let id = this.index.get(f);
    if (id === undefined) {
      id = this.index.size;
      this.index.set(f, id);
    }
    return id;
  }

  private scores(feats: number[], out: Float64Array): void {
    const k = this.labels.length;
    const scale = feats.length ? 1 / Math.sqrt(feats.length) : 0;
    let max = -Infinity;
    for (let c = 0; c < k; c++) {
      let s = this.bias[c];
      for (const f of feats) s += this.weights[f * k + c] * scale;
      out[c] = s;
      if (s > max) max = s;
    }
    let sum = 0;
    for (let c = 0; c < k; c++) sum += (out[c] = Math.exp(out[c] - max));
    for (let c = 0; c < k; c++) out[c] /= sum;
  }
}
