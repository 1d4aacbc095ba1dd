import { IntentClassifier, type Scored } from './classifier.js';
import { ASPECTS, INTENTS, type Aspect, type Intent, type NluData } from './data-files.js';
import { extractDossierCode, findRun } from './entities.js';
import { Normalizer } from './normalizer.js';
import { PhraseIndex, type Hit } from './phrase-index.js';
import { SimilarityIndex } from './similarity-index.js';
import { clean, fold, tokenize } from './text.js';

// Understanding one message: intent, entities, and the knowledge-base entries it refers to.

export interface KbProcedure { id: number; code: string | null; name: string; field: string; aliases: string[] }
export interface KbModel { id: number; name: string; locality: string; province: string; agency: string; keywords: string[] }
export interface KbFaq { id: number; questions: string[]; enabled: boolean }
export interface KbPhrase { text: string; intent: string; targetType: string | null; targetId: number | null }
export interface KbForNlu {
  procedures: KbProcedure[];
  models: KbModel[];
  faqs: KbFaq[];
  phrases: KbPhrase[];
}

export interface Understanding {
  text: string;
  intent: Intent;
  confidence: number;
  entities: { dossier_code?: string; aspect?: Aspect; locality?: string };
  procedure: KbProcedure | null;
  procedureScore: number;
  candidates: Array<Hit<KbProcedure>>;
  model: KbModel | null;
  modelScore: number;
  faq: { faq: KbFaq; score: number } | null;
  ranking: Scored[];
}

export interface NluOptions {
  /** Below this the message counts as not understood (review list, out-of-scope answer). */
  confidenceThreshold: number;
  /** An FAQ written by officials wins over built-in answers from this cosine similarity up. */
  faqThreshold: number;
}

const PROCEDURE_MIN = 0.5;
const MODEL_MIN = 0.5;
const PLACE_WORDS = /^(thanh pho|tp|huyen|quan|thi xa|tx|thi tran|phuong|xa|tinh|dac khu|so)\s+/;

export class Nlu {
  private readonly normalizer: Normalizer;
  private readonly classifier: IntentClassifier;
  private readonly procedures: PhraseIndex<KbProcedure>;
  private readonly models: PhraseIndex<KbModel>;
  private readonly faqs: SimilarityIndex<KbFaq>;
  private readonly aspectKeys: Array<{ aspect: Aspect; tokens: string[] }>;
  private readonly localities: Array<{ name: string; tokens: string[] }>;

  constructor(data: NluData, kb: KbForNlu, private readonly options: NluOptions) {
    const kbTexts = [
      ...kb.procedures.flatMap((p) => [p.name, p.field, ...p.aliases]),
      ...kb.models.flatMap((m) => [m.name, m.locality, m.province, m.agency, ...m.keywords]),
      ...kb.faqs.flatMap((f) => f.questions),
      ...kb.phrases.map((p) => p.text),
    ];
    const examples = Object.values(data.examples).flat();
    const aspectTexts = Object.values(data.aspects).flat();
    this.normalizer = new Normalizer(data.abbreviations, [...examples, ...kbTexts, ...aspectTexts]);
    const toks = (s: string) => this.normalizer.normalize(s).tokens;
    const example = (s: string, label: string) => ({ ...this.normalizer.normalize(s), label });

    this.aspectKeys = Object.entries(data.aspects)
      .flatMap(([aspect, keys]) => keys.map((k) => ({ aspect: aspect as Aspect, tokens: toks(k) })))
      .filter((k) => k.tokens.length > 0)
      .sort((a, b) => b.tokens.length - a.tokens.length);

    const training = INTENTS.flatMap((intent) => data.examples[intent].map((text) => example(text, intent)));
    // The knowledge base teaches the classifier its own vocabulary: every entry officials add is understood.
    for (const p of kb.procedures) {
      for (const a of [p.name, ...p.aliases]) training.push(example(a, 'procedure_lookup'));
    }
    for (const m of kb.models) {
      for (const k of [m.name, ...m.keywords]) training.push(example(`mô hình ${k}`, 'model_info'));
      training.push(example(`${m.locality} có mô hình gì`, 'model_info'));
    }
    for (const p of kb.phrases) if ((INTENTS as readonly string[]).includes(p.intent)) training.push(example(p.text, p.intent));
    this.classifier = new IntentClassifier(INTENTS).train(training);

    const taught = (type: string, id: number) => kb.phrases.filter((p) => p.targetType === type && p.targetId === id).map((p) => p.text);
    this.procedures = new PhraseIndex(kb.procedures.map((p) => ({
      item: p,
      phrases: [
        { tokens: toks(p.name), weight: 1 },
        ...[...p.aliases, ...taught('procedure', p.id)].map((a) => ({ tokens: toks(a), weight: 0.97 })),
        ...(p.code ? [{ tokens: toks(p.code), weight: 1 }] : []),
      ],
    })));
    this.models = new PhraseIndex(kb.models.map((m) => ({
      item: m,
      phrases: [
        { tokens: toks(m.name), weight: 1 },
        ...[...m.keywords, ...taught('model', m.id)].map((k) => ({ tokens: toks(k), weight: 0.95 })),
      ],
    })));
    this.faqs = new SimilarityIndex(kb.faqs.filter((f) => f.enabled).flatMap((f) =>
      [...f.questions, ...taught('faq', f.id)].map((q) => ({ item: f, tokens: toks(q) }))));
    const places = new Map<string, string>();
    for (const m of kb.models) {
      for (const name of [m.locality, m.province]) {
        const key = fold(clean(name)).replace(PLACE_WORDS, '').trim();
        if (key) places.set(key, name);
      }
    }
    this.localities = [...places.entries()]
      .map(([key, name]) => ({ name, tokens: tokenize(key) }))
      .sort((a, b) => b.tokens.length - a.tokens.length);
  }

  understand(raw: string): Understanding {
    const text = typeof raw === 'string' ? raw : '';
    const { tokens, accented } = this.normalizer.normalize(text);
    const dossierCode = extractDossierCode(text);
    const ranking = this.classifier.predict(tokens, accented);
    let intent = ranking[0].label as Intent;
    let confidence = ranking[0].p;

    const known = this.classifier.coverage(tokens);
    if (tokens.length === 0 || known === 0) {
      intent = 'out_of_scope';
      confidence = tokens.length === 0 ? 1 : Math.max(confidence, 0.9);
    }
    if (dossierCode && !['subscribe', 'feedback', 'rating'].includes(intent)) {
      intent = 'dossier_status';
      confidence = Math.max(confidence, 0.95);
    }

    const candidates = this.procedures.search(tokens, 3);
    const best = candidates[0];
    const modelHits = this.models.search(tokens, 2);
    const locality = this.localities.find((l) => findRun(tokens, l.tokens) >= 0)?.name;
    const modelScore = modelHits[0]?.score ?? 0;
    const procedureScore = best?.score ?? 0;
    // A message that names a reform model (or a locality that has one) more clearly than any procedure
    // is about the model, whatever words around it resemble.
    if (intent !== 'model_info' && intent !== 'dossier_status' && confidence < 0.9
      && modelScore >= 0.7 && modelScore > procedureScore + 0.1 && (locality || modelScore >= 0.8)) {
      intent = 'model_info';
      confidence = Math.max(modelScore, confidence);
    }
    const faqHit = this.faqs.search(tokens, 1)[0];
    const aspect = this.aspectOf(tokens, best && best.score >= PROCEDURE_MIN ? best.item : undefined);

    let procedure: KbProcedure | null = null;
    let model: KbModel | null = null;
    if (intent === 'procedure_lookup' && best && best.score >= PROCEDURE_MIN) procedure = best.item;
    if (intent === 'model_info' && modelHits[0] && modelHits[0].score >= MODEL_MIN) model = modelHits[0].item;

    const entities: Understanding['entities'] = {};
    if (dossierCode) entities.dossier_code = dossierCode;
    if (intent === 'procedure_lookup') entities.aspect = aspect ?? 'general';
    if (intent === 'model_info' && locality) entities.locality = locality;

    return {
      text, intent, confidence, entities, procedure,
      procedureScore: best?.score ?? 0,
      candidates,
      model,
      modelScore: modelHits[0]?.score ?? 0,
      faq: faqHit && faqHit.score >= this.options.faqThreshold ? { faq: faqHit.item, score: faqHit.score } : null,
      ranking: ranking.slice(0, 3),
    };
  }

  private aspectOf(tokens: string[], procedure?: KbProcedure): Aspect | undefined {
    // Words of the procedure's own name ("chi phí mai táng") do not say which aspect is asked.
    const nameTokens = new Set(procedure ? this.normalizer.normalize(procedure.name).tokens : []);
    let found: { aspect: Aspect; at: number; len: number } | undefined;
    for (const key of this.aspectKeys) {
      const at = findRun(tokens, key.tokens);
      if (at < 0 || key.tokens.every((t) => nameTokens.has(t))) continue;
      if (!found || key.tokens.length > found.len || (key.tokens.length === found.len && at < found.at)) {
        found = { aspect: key.aspect, at, len: key.tokens.length };
      }
    }
    return found?.aspect;
  }
}

export { ASPECTS, INTENTS };
export type { Aspect, Intent };
