import { IntentClassifier } from '../../src/nlu/classifier.js';
import { INTENTS, type NluData } from '../../src/nlu/data-files.js';
import { Normalizer } from '../../src/nlu/normalizer.js';

// k-fold cross-validation of the intent classifier on its own training phrases (intents/*.yaml): how well it
// recognises phrasings it has not seen, intent by intent.

export interface CrossValidation {
  folds: number;
  accuracy: number;
  perIntent: Record<string, { n: number; accuracy: number }>;
}

export function crossValidateClassifier(data: NluData, folds = 5): CrossValidation {
  const normalizer = new Normalizer(data.abbreviations, Object.values(data.examples).flat());
  const examples = INTENTS.flatMap((intent) => data.examples[intent].map((text, i) => ({ ...normalizer.normalize(text), label: intent, fold: i % folds })));
  let right = 0;
  const per = new Map<string, { n: number; ok: number }>();
  for (let f = 0; f < folds; f++) {
    const classifier = new IntentClassifier(INTENTS).train(examples.filter((e) => e.fold !== f));
    for (const e of examples.filter((x) => x.fold === f)) {
      const ok = classifier.predict(e.tokens, e.accented)[0].label === e.label;
      if (ok) right++;
      const p = per.get(e.label) ?? { n: 0, ok: 0 };
      p.n++;
      if (ok) p.ok++;
      per.set(e.label, p);
    }
  }
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    folds,
    accuracy: round(right / examples.length),
    perIntent: Object.fromEntries([...per.entries()].map(([k, v]) => [k, { n: v.n, accuracy: round(v.ok / v.n) }])),
  };
}

/** Rows: expected intent; columns: the intent understood (only the cells that are not 0). */
export function confusion(pairs: Array<{ expected: string; got: string }>): Record<string, Record<string, number>> {
  const table: Record<string, Record<string, number>> = {};
  for (const { expected, got } of pairs) {
    table[expected] ??= {};
    table[expected][got] = (table[expected][got] ?? 0) + 1;
  }
  return table;
}
