import { IntentClassifier, type Scored } from './classifier.js';
import { ASPECTS, INTENTS, type Aspect, type Intent, type NluData } from './data-files.js';
import { collapseFamilies, decide, type DecideInput, type Decision } from './decide.js';
import { extractDossierCode, findRun } from './entities.js';
import { Lexicon } from './lexicon.js';
import { Normalizer, toksOf, type Normalized, type Tok } from './normalizer.js';
import { givesScore, statedStars } from './score.js';
import type { NluOptions } from './options.js';
import { PhraseIndex } from './phrase-index.js';
import { PhraseMatcher } from './phrases.js';
import { ProcedureIndex, type ProcedureTexts, type Ranked } from './procedure-index.js';
import { BODY_CHARS } from './body-index.js';
import { featuresOf, messageMentionsOrg, Ranker, type GateInput } from './ranker.js';
import { SimilarityIndex } from './similarity-index.js';
import type { PlaceResolution } from '../places/types.js';
import { accentKey, clean, fold, tokenize } from './text.js';
import { mapOf, runNow, type Work } from './work.js';

// Understanding one message, as a pipeline of named stages:
//   normalise (case, diacritics, teencode, typos) -> lexicon (citizens' words -> official terms)
//   -> candidates and rank (every text of every record) -> decide (answer / ask which / out of scope / an intent).
// Every threshold is in NluOptions; the dialog acts on the decision without thresholds of its own.

export interface KbProcedure {
  id: number;
  code: string | null;
  name: string;
  field: string;
  level: string;
  aliases: string[];
  result?: string;
  eligibility?: string;
  competentBody?: string;
  office?: string;
  isSample?: boolean;
  /** Everything else the record says (documents, conditions, steps...), for matching situations. */
  body?: string;
}
export interface KbModel { id: number; name: string; locality: string; province: string; agency: string; keywords: string[] }
export interface KbFaq { id: number; questions: string[]; enabled: boolean }
export interface KbPhrase { text: string; intent: string; targetType: string | null; targetId: number | null }
export interface KbForNlu {
  procedures: KbProcedure[];
  models: KbModel[];
  faqs: KbFaq[];
  phrases: KbPhrase[];
  /** Citizens' words officials added from the console (added to intents/lexicon.yaml). */
  lexicon?: Record<string, string[]>;
}

export interface Understanding {
  text: string;
  intent: Intent;
  confidence: number;
  /** `stars`: the 1-5 stars a rating states ("5 sao nha", "⭐⭐⭐⭐"), which the bot takes as its score. */
  entities: { dossier_code?: string; aspect?: Aspect; locality?: string; stars?: number };
  decision: Decision<KbProcedure>;
  /** True when the bot asks which procedure instead of answering. */
  clarify: boolean;
  /** The procedure answered, or the first option offered when the bot asks. */
  procedure: KbProcedure | null;
  procedureScore: number;
  /** The second candidate's probability (how close a call the answer was: the review list's close calls). */
  procedureRunnerUp: number;
  /** The options the bot would offer, best first (at most NluOptions.procedure.maxOptions). */
  candidates: Array<Ranked<KbProcedure>>;
  model: KbModel | null;
  modelScore: number;
  faq: { faq: KbFaq; score: number } | null;
  ranking: Scored[];
  /** The places the message names and what they are now (when a place resolver is configured). */
  place?: PlaceResolution;
}

export interface UnderstandContext {
  /** The procedure of the last few turns (the dialog keeps the window), for follow-ups that name none. */
  procedure?: KbProcedure;
  /** The bot has just asked the citizen for a place: a bare name is an answer. */
  expectPlace?: boolean;
}

/** Finds administrative units in a message and what they are since 1 July 2025 (src/places). */
export interface PlaceResolver {
  resolve(text: string, opts?: { expectPlace?: boolean }): PlaceResolution;
}

const MODEL_MIN = 0.5;
/** Weight of a model keyword that some procedure's name also says (see Nlu.prepare). */
const SHARED_KEYWORD = 0.6;
/** Candidates the ranker orders: the right procedure is almost always among the index's first twenty. */
const CANDIDATES = 20;
/** Procedures done at the citizen's home by their nature: "Thủ tục đăng ký khai sinh lưu động". */
const AT_HOME = /lưu động/iu;
const PLACE_WORDS = /^(thanh pho|tp|huyen|quan|thi xa|tx|thi tran|phuong|xa|tinh|dac khu|so)\s+/;
/**
 * What a record's name says about where and how it is done rather than what it is: "(thực hiện tại cấp tỉnh)",
 * "(cấp Bộ)", "thực hiện bằng dịch vụ công trực tuyến toàn trình". Kept as side text, out of the name.
 */
const QUALIFIERS = [
  /\((?:thực hiện |thực hiện ở |thực hiện tại |tại |ở )?cấp [^)]*\)/giu,
  /\s(?:thực hiện\s+)?bằng dịch vụ công[^;()]*$/giu,
  /\s(?:thực hiện\s+)?(?:trực tuyến )?toàn trình[^;()]*$/giu,
  /\sthực hiện (?:tại|ở) cấp[^;()]*$/giu,
];
/** Any other bracketed part of a name: details ("(trừ xe mô tô)", "(đăng ký sang tên xe)"), read as side text. */
const BRACKETS = /\([^)]*\)/gu;
/** A phrase matcher for each intent's list (not_cues, stands_with). */
const matchersByIntent = (lists: Partial<Record<Intent, string[]>>): Map<string, PhraseMatcher<true>> =>
  new Map(Object.entries(lists).map(([intent, words]) => [intent, PhraseMatcher.of(words ?? [])]));

/** The texts of a record as the index reads them: content words only, the level suffix out of the name. */
function procedureTexts(p: KbProcedure, taught: string[], normalizer: Normalizer, functionWords: PhraseMatcher<true>, notEvidence: PhraseMatcher<true>): ProcedureTexts {
  const words = (s: string | undefined) => (s ? functionWords.remove(toksOf(s)) : []);
  // Names write some words as abbreviations ("công ty TNHH", "sổ BHXH"); a message's are written out by the normalizer.
  const spelt = normalizer.spellOut(p.name);
  const qualifiers = QUALIFIERS.flatMap((re) => spelt.match(re) ?? []);
  const unqualified = QUALIFIERS.reduce((s, re) => s.replace(re, ' '), spelt);
  const details = [...qualifiers, ...(unqualified.match(BRACKETS) ?? [])];
  const name = words(unqualified.replace(BRACKETS, ' '));
  return {
    name,
    phrases: [...p.aliases, ...taught].map((a) => notEvidence.remove(normalizer.normalize(a).toks)).filter((t) => t.length > 0),
    // Who may use a record is a fixed list of categories on the portal ("Công dân Việt Nam, Người nước ngoài..."):
    // it tells nothing apart, so it is not read.
    side: [...details, p.result, p.field, p.competentBody].flatMap((s) => words(s?.slice(0, 400))),
    familyKey: name.map((t) => t.f).join(' '),
    body: words([p.eligibility, p.body].filter(Boolean).join('\n').slice(0, BODY_CHARS)).map((t) => t.f),
  };
}

/** What an Nlu is made of (built by Nlu.prepare). */
interface NluParts {
  normalizer: Normalizer;
  lexicon: Lexicon;
  classifier: IntentClassifier;
  /** Function words, question words and aspect words: never evidence for a procedure. */
  notEvidence: PhraseMatcher<true>;
  functionWords: PhraseMatcher<true>;
  aspectWords: PhraseMatcher<Exclude<Aspect, 'general'>>;
  mayOrMust: PhraseMatcher<true>;
  whereMay: PhraseMatcher<true>;
  notAspects: PhraseMatcher<true>;
  procedures: ProcedureIndex<KbProcedure>;
  ranker: Ranker;
  models: PhraseIndex<KbModel>;
  faqs: SimilarityIndex<KbFaq>;
  localities: Array<{ name: string; tokens: string[] }>;
  /** Intents that need one of their cue words in the message (NluData.cues). */
  cues: Map<string, PhraseMatcher<true>>;
  /** Phrases the message is read without before its cue words are looked for (NluData.notCues). */
  notCues: Map<string, PhraseMatcher<true>>;
  /** What no procedure answers (NluData.asksElse). */
  asksElse: PhraseMatcher<true>;
  /** Every phrasing officials taught an intent (review list, console): a message that is one is never asksElse. */
  taughtIntents: PhraseMatcher<true>;
  /** The reorganisation's words (NluData.reorganisationWords), as a pattern over the message's text. */
  reorganisation: RegExp;
  /** What only a submitted dossier answers (NluData.asksStatus). */
  asksStatus: PhraseMatcher<true>;
  /** What makes an action intent stand over a procedure named (NluData.standsWith), by intent. */
  standsWith: Map<string, PhraseMatcher<true>>;
  /** Phrases that say an action outright (NluData.says), each to its intent. */
  says: PhraseMatcher<Intent>;
  /** Asking what a thing is (NluData.asksWhat). */
  asksWhat: PhraseMatcher<true>;
  /** The words the abbreviations write numbers out as ("2" is "hai"), folded: such a word in a message was a number. */
  writtenNumbers: Set<string>;
}

export class Nlu {
  private readonly parts: NluParts;
  /** nameWordsOf's: at most one entry per record whose name the aspect was read against. */
  private readonly nameWordCache = new Map<string, NameWords>();

  /**
   * Builds everything at once. `prepared` (from `Nlu.prepare`, run in slices) skips the building: a rebuild after
   * an official's edit does not stop the bot for the second or two the national catalogue takes.
   */
  constructor(data: NluData, kb: KbForNlu, private readonly options: NluOptions, private readonly places?: PlaceResolver, prepared?: NluParts) {
    this.parts = prepared ?? runNow(Nlu.prepare(data, kb, options));
  }

  /** The NLU of `kb`, built with pause points (see work.ts). */
  static *build(data: NluData, kb: KbForNlu, options: NluOptions, places?: PlaceResolver): Work<Nlu> {
    return new Nlu(data, kb, options, places, yield* Nlu.prepare(data, kb, options));
  }

  private static *prepare(data: NluData, kb: KbForNlu, options: NluOptions): Work<NluParts> {
    const lexicon = { ...data.lexicon, ...(kb.lexicon ?? {}) };
    const aspectEntries = Object.entries(data.aspects).flatMap(([aspect, keys]) => keys.map((k) => [k, aspect] as [string, Exclude<Aspect, 'general'>]));
    const kbTexts = [
      ...kb.procedures.flatMap((p) => [p.name, p.field, ...p.aliases]),
      ...kb.models.flatMap((m) => [m.name, m.locality, m.province, m.agency, ...m.keywords]),
      ...kb.faqs.flatMap((f) => f.questions),
      ...kb.phrases.map((p) => p.text),
    ];
    const examples = Object.values(data.examples).flat();
    yield;
    const normalizer = new Normalizer(data.abbreviations);
    yield;
    // Every phrase the NLU looks for is vocabulary: a word only a cue says ("trọn gói" typed "tron goi") is not a typo.
    yield* normalizer.addVocabulary([...examples, ...kbTexts, ...aspectEntries.map(([k]) => k),
      ...Lexicon.words(lexicon), ...data.questionWords, ...data.functionWords, ...data.asksElse, ...data.asksStatus, ...data.mayOrMust,
      ...data.whereMay, ...data.notAspects, ...Object.values(data.cues).flat(), ...Object.values(data.notCues).flat(),
      ...Object.values(data.says).flat(), ...Object.values(data.standsWith).flat()]);
    const functionWords = PhraseMatcher.of(data.functionWords);
    const notEvidence = PhraseMatcher.of([...data.functionWords, ...data.questionWords, ...aspectEntries.map(([k]) => k)]);

    const example = (s: string, label: string) => ({ ...normalizer.normalize(s), label });
    const training = (yield* mapOf(INTENTS.flatMap((intent) => data.examples[intent].map((text) => [text, intent] as const)), ([text, intent]) => example(text, intent), 4));
    for (const m of kb.models) {
      for (const k of [m.name, ...m.keywords]) training.push(example(`mô hình ${k}`, 'model_info'));
      training.push(example(`${m.locality} có mô hình gì`, 'model_info'));
      yield;
    }
    for (const p of kb.phrases) if ((INTENTS as readonly string[]).includes(p.intent)) training.push(example(p.text, p.intent));
    const classifier = yield* new IntentClassifier(INTENTS).training(training);

    const taughtBy = new Map<string, string[]>();
    for (const p of kb.phrases) {
      const key = `${p.targetType}:${p.targetId}`;
      if (!taughtBy.has(key)) taughtBy.set(key, []);
      taughtBy.get(key)!.push(p.text);
    }
    const taught = (type: string, id: number) => taughtBy.get(`${type}:${id}`) ?? [];
    const weakWords = new Set(data.weakWords.flatMap((w) => toksOf(w).map((t) => t.f)));
    // The index keeps each record without its body: the body is read here, once (with the national catalogue the
    // bodies are ~20 MB of text the bot would otherwise hold for nothing).
    const texts = yield* mapOf(kb.procedures, (p) => {
      const { body: _readHere, ...item } = p;
      return { item, texts: procedureTexts(p, taught('procedure', p.id), normalizer, functionWords, notEvidence) };
    }, 1);
    const procedures = yield* ProcedureIndex.build(texts, { ...options.rank, weakWords });

    const toks = (s: string) => normalizer.normalize(s).tokens;
    yield;
    // A keyword that a procedure's name also says ("đăng ký kết hôn", "tư pháp") names the procedure as much as the
    // model: alone it never makes a message about the model (below options.intent.model); the model's own words do.
    const names = texts.map((t) => t.texts.name.map((w) => w.f));
    const namesWith = new Map<string, number[]>();
    names.forEach((words, i) => new Set(words).forEach((w) => {
      const list = namesWith.get(w);
      if (list) list.push(i);
      else namesWith.set(w, [i]);
    }));
    const inSomeName = (tokens: string[]) => tokens.length > 0 && (namesWith.get(tokens[0]) ?? []).some((i) => findRun(names[i], tokens) >= 0);
    const keywordWeight = (tokens: string[]) => (inSomeName(tokens) ? SHARED_KEYWORD : 0.95);
    yield;
    const models = new PhraseIndex(yield* mapOf(kb.models, (m) => ({
      item: m,
      phrases: [
        { tokens: toks(m.name), weight: 1 },
        ...[...m.keywords, ...taught('model', m.id)].map((k) => toks(k)).map((tokens) => ({ tokens, weight: keywordWeight(tokens) })),
      ],
    }), 4));
    yield;
    const faqs = new SimilarityIndex(kb.faqs.filter((f) => f.enabled).flatMap((f) =>
      [...f.questions, ...taught('faq', f.id)].map((q) => ({ item: f, tokens: toks(q) }))));
    yield;
    const modelPlaces = new Map<string, string>();
    for (const m of kb.models) {
      for (const name of [m.locality, m.province]) {
        const key = fold(clean(name)).replace(PLACE_WORDS, '').trim();
        if (key) modelPlaces.set(key, name);
      }
    }
    const localities = [...modelPlaces.entries()]
      .map(([key, name]) => ({ name, tokens: tokenize(key) }))
      .sort((a, b) => b.tokens.length - a.tokens.length);
    yield;
    // A qualifier an official redefined from the console is their term, read as any other.
    const lexiconIndex = yield* Lexicon.build(lexicon, new Set(data.qualifiers.filter((t) => !(t in (kb.lexicon ?? {})))));
    // The phrasings officials taught the intents, read once as a message is.
    const taughtIntents = kb.phrases.filter((p) => (INTENTS as readonly string[]).includes(p.intent))
      .map((p) => ({ intent: p.intent, toks: normalizer.normalize(p.text).toks }));
    // A phrase an official taught for such an intent is one of its cues: what was taught is never filtered out.
    const cues = new Map(Object.entries(data.cues).map(([intent, words]) => [intent, PhraseMatcher.of(
      [...(words ?? []), ...taughtIntents.filter((p) => p.intent === intent).map((p) => p.toks)])]));
    yield;
    return {
      normalizer, lexicon: lexiconIndex, classifier, notEvidence, functionWords,
      aspectWords: new PhraseMatcher(aspectEntries), mayOrMust: PhraseMatcher.of(data.mayOrMust),
      whereMay: PhraseMatcher.of(data.whereMay), notAspects: PhraseMatcher.of(data.notAspects), procedures, ranker: new Ranker(data.ranker), models, faqs, localities,
      cues, notCues: matchersByIntent(data.notCues),
      asksElse: PhraseMatcher.of(data.asksElse), asksStatus: PhraseMatcher.of(data.asksStatus),
      taughtIntents: PhraseMatcher.of(taughtIntents.map((p) => p.toks)),
      standsWith: matchersByIntent(data.standsWith),
      says: new PhraseMatcher(Object.entries(data.says).flatMap(([intent, phrases]) => (phrases ?? []).map((p): [string, Intent] => [p, intent as Intent]))),
      asksWhat: PhraseMatcher.of(data.asksWhat), reorganisation: wordsPattern(data.reorganisationWords),
      writtenNumbers: new Set(Object.entries(data.abbreviations).filter(([k]) => /^\d+$/.test(k)).flatMap(([, v]) => toksOf(v).map((t) => t.f))),
    };
  }

  understand(raw: string, context: UnderstandContext = {}): Understanding {
    const text = typeof raw === 'string' ? raw : '';
    // Stage 1: normalise.
    const normalized = this.parts.normalizer.normalize(text);
    const { tokens, toks } = normalized;
    const dossierCode = extractDossierCode(text);
    // Stage 2: lexicon -> the readings of the message, each without the words that are never evidence.
    const readings = this.readings(toks);
    const read = foldedWords(readings);
    // Stage 3: candidates and their ranking over every text of every record.
    const ranked = this.rank(text, readings, read);
    // Entities and the other indexes.
    const scores = givesScore(text);
    const intents = this.intentsOf(normalized, scores);
    const modelHits = this.parts.models.search(tokens, 2);
    const faqHit = this.parts.faqs.search(tokens, 1)[0];
    const locality = this.parts.localities.find((l) => findRun(tokens, l.tokens) >= 0)?.name;
    const known = this.parts.classifier.coverage(tokens);
    const hasContent = (tokens.length > 0 && (known > 0 || ranked.length > 0)) || scores;
    const topName = ranked[0]?.item.name;
    const aspect = this.aspectOf(toks, topName);
    const gate = this.gateInput(intents, ranked, aspect, known);
    const place = this.places?.resolve(text, { expectPlace: context.expectPlace });
    const rest = place && place.mentions.length > 0 ? withoutPlaces(text, place.mentions) : text;
    // Read only for a place question (the one use of it): not a folding of every message.
    const asksUnit = place?.asksAboutPlace === true && ASKS_UNIT.test(` ${fold(clean(rest))} `);
    // Stage 4: decide.
    const { decision, intent, confidence, offered } = decide({
      ranked, intents, aspect, hasDossierCode: dossierCode !== undefined, hasContent, asksElse: this.parts.asksElse.occursIn(toks) && !this.taughtAsIs(toks),
      asksStatus: (this.parts.asksStatus.occursIn(toks) || asksWhenSubmitted(toks, this.parts.writtenNumbers)) && !NOT_A_DOSSIER.occursIn(toks),
      stands: this.parts.standsWith.get(intents[0].label)?.occursIn(toks) ?? false,
      procedureProbability: this.parts.ranker.procedureProbability(gate),
      asksAboutPlace: place?.asksAboutPlace ?? false, namesPlace: (place?.mentions.length ?? 0) > 0,
      besidePlace: place ? this.besidePlace(rest, place, aspect, asksUnit, ranked) : undefined,
      asksUnit,
      modelScore: modelHits[0]?.score ?? 0, asksWhat: this.parts.asksWhat.occursIn(toks),
      modelShare: modelHits[0] ? this.parts.models.share(modelHits[0].item, read[0]) : 0,
      mentionsModelPlace: locality !== undefined, faqScore: faqHit?.score, context: context.procedure,
      levelOf: (p) => p.level, atHome: (p) => AT_HOME.test(p.name),
    }, this.options);

    const procedure = decision.kind === 'procedure' ? decision.procedure : decision.kind === 'clarify' ? decision.options[0] : null;
    const model = intent === 'model_info' && modelHits[0] && modelHits[0].score >= MODEL_MIN ? modelHits[0].item : null;
    const entities: Understanding['entities'] = {};
    if (dossierCode) entities.dossier_code = dossierCode;
    if (intent === 'procedure_lookup' || decision.kind === 'clarify') { // an unsure "which one?" keeps the aspect too
      entities.aspect = procedure && procedure.name !== topName ? (this.aspectOf(toks, procedure.name) ?? 'general') : (aspect ?? 'general');
    }
    if (intent === 'model_info' && locality) entities.locality = locality;
    if (intent === 'rating') {
      const stars = statedStars(text);
      if (stars !== null) entities.stars = stars;
    }
    return {
      text, intent, confidence, entities, decision,
      clarify: decision.kind === 'clarify' || decision.kind === 'ask_procedure',
      procedure,
      procedureScore: ranked[0]?.score ?? 0,
      procedureRunnerUp: ranked[1]?.score ?? 0,
      candidates: decision.kind === 'clarify' ? offered : [],
      model,
      modelScore: modelHits[0]?.score ?? 0,
      faq: faqHit && decision.kind === 'faq' ? { faq: faqHit.item, score: faqHit.score } : null,
      ranking: intents.slice(0, 3),
      ...(place && (intent === 'locality' || place.mentions.length > 0) ? { place } : {}),
    };
  }

  /** The message as written and as the lexicon reads it, each without the words that are never evidence. */
  readings(toks: Tok[]): Tok[][] {
    const plain = this.afterDone(toks.filter((t) => !isClassifier(t)));
    const read = (ts: Tok[]) => this.parts.lexicon.readings(ts).map((r) => this.parts.notEvidence.remove(r, (hit) => this.mayBeContent(r, hit)));
    const asked = this.askedAfter(plain);
    const purpose = this.purposeFrom(plain);
    return [...read(plain), ...(asked > 0 ? read(storyWeighed(plain, 0, asked)) : []),
      ...(purpose > 0 ? read(storyWeighed(plain, purpose, plain.length)) : [])];
  }

  /**
   * "Muốn lên thổ cư để cất nhà cho con, làm hồ sơ ra sao": what comes after "để" (in order to) is what the procedure
   * is for, not the procedure ("xin xác nhận độc thân để ngân hàng duyệt vay"); read also with those words weighing
   * STORY_WEIGHT, when the words before it name something (ASK_MIN content words; "cần giấy tờ gì để đăng ký kết hôn"
   * names it after). Not "để lại" (left behind).
   */
  private purposeFrom(toks: Tok[]): number {
    for (let i = 1; i < toks.length - 1; i++) {
      const t = toks[i];
      if (t.f !== 'de' || (t.a !== undefined && t.a !== PURPOSE) || toks[i + 1].f === 'lai') continue;
      return this.contentCount(toks.slice(0, i)) >= ASK_MIN && this.contentCount(toks.slice(i + 1)) > 0 ? i : -1;
    }
    return -1;
  }

  /**
   * What is said done is not what is asked, when the rest asks something of its own (ASK_MIN content words). "Làm giấy
   * khai sinh cho con xong rồi, giờ bé 6 tháng nên uống sữa gì": what "... xong rồi" closes is left out. "Hợp đồng …
   * đã chứng thực rồi, giờ hai bên muốn hủy": a step said done still tells what it is about, so it stays, weighing
   * STORY_WEIGHT. With only a part asked after it ("nộp hồ sơ kết hôn xong rồi thì bao lâu có kết quả"), the message
   * stays whole.
   */
  private afterDone(toks: Tok[]): Tok[] {
    for (let i = toks.length - 2; i > 0; i--) {
      const act = this.doneActAt(toks, i);
      if (!act && !(toks[i].f === 'xong' && DONE_AFTER.has(toks[i + 1].f))) continue;
      const rest = toks.slice(act ? i + 1 : i + 2);
      if (!(this.contentCount(rest) >= ASK_MIN && this.contentCount(toks.slice(0, i)) > 0)) return toks;
      return act ? storyWeighed(toks, 0, i + 1) : rest;
    }
    return toks;
  }

  /**
   * "hợp đồng tặng cho đã chứng thực ở xã rồi, giờ làm tiếp thủ tục sang tên": "đã <an act of a procedure> … rồi" says
   * that step is done, as "xong rồi" does. Not "con đã 15 tuổi rồi", "bố đã mất rồi": no act, and they tell which
   * record fits.
   */
  private doneActAt(toks: Tok[], i: number): boolean {
    if (!DONE_ACT_END.has(toks[i].f)) return false;
    const clause = toks.slice(Math.max(0, i - DONE_CLAUSE), i);
    const since = clause.findLastIndex((t) => t.f === 'da' && (t.a === undefined || t.a === DONE_MARK));
    return since >= 0 && clause.slice(since + 1).some((t) => DONE_ACTS.has(t.f));
  }

  /** How many content words (not function, question or aspect words) `toks` holds: what the story, purpose and done rules weigh. */
  private contentCount(toks: Tok[]): number {
    return this.parts.notEvidence.remove(toks).length;
  }

  /** Where the question starts after a story (STORY_WEIGHT): the last ask word with enough content on both sides, or -1. */
  private askedAfter(toks: Tok[]): number {
    for (let i = toks.length - 1 - ASK_MIN; i > 0; i--) {
      if (isAskWord(toks[i]) && this.contentCount(toks.slice(i + 1)) >= ASK_MIN && this.contentCount(toks.slice(0, i)) >= STORY_MIN) return i;
    }
    return -1;
  }

  /** Ranked candidates for a message (evaluation and probes). */
  rankProcedures(text: string): Array<Ranked<KbProcedure>> {
    return this.rank(text, this.readings(this.parts.normalizer.normalize(text).toks));
  }

  /**
   * Candidates from the index, one per family (the same procedure published at several levels), ordered by the
   * ranker's probability that each is the one meant; `score` is that probability, `indexScore` the index's.
   */
  private rank(text: string, readings: Tok[][], read = foldedWords(readings)): Array<Ranked<KbProcedure>> {
    const families = collapseFamilies(this.parts.procedures.rank(readings, CANDIDATES), (p) => p.level);
    const ranked = this.parts.ranker.probabilities(featuresOf(families, messageMentionsOrg(text)));
    const probabilities = ADJUSTMENTS.reduce((p, adjust) => adjust({ text, read }, families, p), ranked);
    return families.map((r, i) => ({ ...r, indexScore: r.score, score: probabilities[i] })).sort((a, b) => b.score - a.score);
  }

  /** The message is, word for word, a phrasing officials taught an intent: what they taught is obeyed. */
  private taughtAsIs(toks: Tok[]): boolean {
    return toks.length > 0 && this.parts.taughtIntents.at(toks, 0)?.end === toks.length;
  }

  /** The classifier's reading, without the intents whose cue words the message lacks (renormalised). */
  private intentsOf({ tokens, accented, toks }: Normalized, scores = false): Scored[] {
    const all = this.parts.classifier.predict(tokens, accented);
    const kept = all.filter((s) => this.parts.cues.get(s.label)?.occursIn(this.parts.notCues.get(s.label)?.remove(toks) ?? toks) ?? true);
    const total = kept.reduce((sum, s) => sum + s.p, 0);
    const read = kept.length === all.length || total <= 0 ? all : kept.map((s) => ({ label: s.label, p: s.p / total }));
    // A phrase that says an action outright puts it first, as sure as an action must be to win over a procedure named.
    // A person asked for wins over the complaint that gives the reason ("bot trả lời sai bét, cho gặp người thật").
    const saidAll = scores ? [] : this.parts.says.all(toks).map((h) => h.value);
    const said = scores ? 'rating' : saidAll.includes('human_handoff') ? 'human_handoff' : saidAll[0];
    if (said === undefined || (read[0]?.label === said && read[0].p >= this.options.intent.sureAction)) return read;
    const p = Math.max(read.find((s) => s.label === said)?.p ?? 0, this.options.intent.sureAction);
    const rest = read.filter((s) => s.label !== said);
    const restTotal = rest.reduce((sum, s) => sum + s.p, 0);
    return [{ label: said, p }, ...rest.map((s) => ({ label: s.label, p: restTotal > 0 ? (s.p / restTotal) * (1 - p) : 0 }))];
  }

  /** What the procedure gate reads (see ranker.ts). */
  private gateInput(intents: Scored[], ranked: Array<Ranked<KbProcedure>>, aspect: Aspect | undefined, known: number): GateInput {
    const p = (label: string) => intents.find((i) => i.label === label)?.p ?? 0;
    return { pProcedure: p('procedure_lookup'), pOutOfScope: p('out_of_scope'), best: ranked[0], aspect: aspect !== undefined, known };
  }

  /**
   * A place question that names a unit may still ask a procedure, when it asks where to do something or asks no unit
   * ("làm khai tử mất bao lâu, e ở xã Long Cang (Phước Vân cũ)"), not what a unit is now ("căn cước em ghi xã Đức Lập
   * Thượng, giờ đổi thành xã gì"): read again without its places and the reorganisation's words ("Tam Thanh" typed
   * plain is "tạm vắng"), its candidates and the gate's probability that what is left asks about a procedure. A name
   * several units bear, in a question where to go ("xã Phú Thịnh, làm khai sinh thì lên xã nào"), is asked about first:
   * the map's answer names the office.
   */
  private besidePlace(rest: string, place: PlaceResolution, aspect: Aspect | undefined, asksUnit: boolean,
    asIs: Array<Ranked<KbProcedure>>): DecideInput<KbProcedure>['besidePlace'] {
    const asksWhere = aspect === undefined || aspect === 'place' || aspect === 'general';
    if (!place.asksAboutPlace || place.mentions.length === 0 || (place.kind === 'ambiguous' && asksWhere) || (asksUnit && !place.submit)) return undefined;
    // Read again only what matched some procedure fairly as it is (a second reading costs a ranking of the catalogue).
    if ((asIs[0]?.indexScore ?? 0) < this.options.procedure.offer) return undefined;
    const { ranked, gate } = this.rankedWithGate(rest.replace(this.parts.reorganisation, '$1 '));
    return { ranked, procedureProbability: this.parts.ranker.procedureProbability(gate), submit: place.submit };
  }

  /** The gate's input for a message (training the gate). */
  gateInputOf(text: string): GateInput {
    return this.rankedWithGate(text).gate;
  }

  /** A message's candidates and what the gate reads of it, from one reading. */
  private rankedWithGate(text: string): { ranked: Array<Ranked<KbProcedure>>; gate: GateInput } {
    const normalized = this.parts.normalizer.normalize(text);
    const { tokens, toks } = normalized;
    const ranked = this.rank(text, this.readings(toks));
    return { ranked, gate: this.gateInput(this.intentsOf(normalized), ranked, this.aspectOf(toks, ranked[0]?.item.name), this.parts.classifier.coverage(tokens)) };
  }

  /** The features the ranker reads for each candidate (training the ranker). */
  rankerInput(text: string): { ranked: Array<Ranked<KbProcedure>>; features: number[][] } {
    const families = collapseFamilies(this.parts.procedures.rank(this.readings(this.parts.normalizer.normalize(text).toks), CANDIDATES), (p) => p.level);
    return { ranked: families, features: featuresOf(families, messageMentionsOrg(text)) };
  }

  /**
   * A single word typed without diacritics that reads as a function word and as a word of the catalogue
   * ("dang": đang/đăng, "tu": từ/tử) stays: only the citizen's diacritics, or the words around it, could tell.
   */
  private mayBeContent(toks: Tok[], hit: { start: number; end: number }): boolean {
    if (hit.end - hit.start !== 1) return false;
    const t = toks[hit.start];
    const sense = CONTENT_ONLY_BESIDE[t.f];
    // "sao" is written the same as "why" and as the "copy" of "bản sao", "sao y", "sao lục": the words beside it tell.
    if (sense) return sense.before.includes(toks[hit.start - 1]?.f ?? '') || sense.after.includes(toks[hit.start + 1]?.f ?? '');
    return t.a === undefined && this.parts.procedures.weightOf(t.f) > 0;
  }

  /** A name's words, folded and as written (accent keys), read once per name for this knowledge base's NLU. */
  private nameWordsOf(name: string): NameWords {
    let words = this.nameWordCache.get(name);
    if (!words) {
      const toks = toksOf(name);
      words = { folded: new Set(toks.map((t) => t.f)), accented: new Set(toks.map((t) => t.a ?? '')) };
      this.nameWordCache.set(name, words);
    }
    return words;
  }

  private aspectOf(toks: Tok[], procedureName?: string): Aspect | undefined {
    // Words of the procedure's own name ("chi phí mai táng", "mẫu con dấu") do not say which aspect is asked; a word
    // typed with diacritics is the name's only if written the same ("cổng dịch vụ công" is not in "…bằng dịch vụ công").
    const name = procedureName ? this.nameWordsOf(procedureName) : NO_NAME;
    const inName = (t: Tok) => name.folded.has(t.f) && (t.a === undefined || name.accented.has(t.a ?? ''));
    // "không có giấy tờ gì thì có được cấp sổ đỏ không": papers said to be missing are not papers asked for.
    const negated = (h: { start: number; value: string }) => h.value === 'documents'
      && ['khong', 'chua'].includes(toks[h.start - 2]?.f ?? '') && toks[h.start - 1]?.f === 'co';
    // Nor do aspect words inside a not_aspects phrase ("mai táng phí" names a payment, it asks no fee).
    const spans = this.parts.notAspects.all(toks);
    const inNotAspect = (h: { start: number; end: number }) => spans.some((s) => s.start <= h.start && h.end <= s.end);
    const hits = this.parts.aspectWords.all(toks).filter((h) => !toks.slice(h.start, h.end).every(inName) && !negated(h) && !inNotAspect(h));
    if (hits.length === 0) {
      const at = (j: number) => !inNotAspect({ start: j, end: j + 1 }); // not the "ở xã" of "nhà ở xã hội"
      if (!this.parts.mayOrMust.occursIn(toks) && !asksMayOrMust(toks)) return asksWhereDone(toks, at) ? 'place' : undefined;
      return this.parts.whereMay.all(toks).some((h) => at(h.start)) ? 'place' : 'eligibility';
    }
    // "mẫu đơn / căn cứ pháp lý cho trường hợp nào": the paper asked for is the question, not who may ask.
    const named = hits.filter((h) => h.value === 'legal' || h.value === 'forms');
    const pool = named.length > 0 && hits.some((h) => h.value === 'eligibility') ? named : hits;
    return pool.reduce((a, b) => (b.end - b.start > a.end - a.start ? b : a)).value;
  }
}

/**
 * "nộp ở Sở Xây dựng hay ở xã", "đăng ký kết hôn ở xã bên vợ hay bên chồng", "khai tử làm ở xã nào", "nộp ở Sở Tư pháp
 * phải không": where a step is done ("nộp", "làm", "đăng ký", "xin", "gửi" ... "ở" / "tại"), followed by an alternative
 * or a question which one, asks the place, though no place phrase says so ("làm ở xã thế nào" asks how).
 */
const DONE_WHERE_VERBS = new Set(['nop', 'lam', 'ky', 'xin', 'gui', 'cap', 'khai']);
const AT_WORDS = new Set(['o', 'tai']);
const WHERE_ASKED = new Set(['hay', 'nao']);
const VERB_TO_AT = 6;
const AT_TO_ASK = 10;
function asksWhereDone(toks: Tok[], at: (j: number) => boolean): boolean {
  for (let j = 1; j < toks.length - 1; j++) {
    if (!AT_WORDS.has(toks[j].f) || !at(j)) continue;
    if (!toks.slice(Math.max(0, j - VERB_TO_AT), j).some((t) => DONE_WHERE_VERBS.has(t.f))) continue;
    for (let k = j + 2; k < Math.min(toks.length, j + AT_TO_ASK + 1); k++) {
      const f = toks[k].f;
      if (f === 'nao' && toks[k - 1].f === 'the') continue; // "thế nào": how, not which office
      if (WHERE_ASKED.has(f) || (f === 'phai' && toks[k + 1]?.f === 'khong')) return true; // "ko", "k" arrive as "không"
    }
  }
  return false;
}

/**
 * "cho heo qua tỉnh khác bán cần kiểm dịch ko", "đi làm xa 1 năm phải khai tạm vắng ko ad", "bị lũ có được miễn thuế
 * đất không": "cần" / "phải" / "được" and a question's "không" / "chưa" closing the message (a particle or two after it
 * at most) ask whether one may or must, as may_or_must's phrases do.
 */
const MAY_OR_MUST = new Set(['can', 'phai', 'duoc']);
const YES_NO = new Set(['khong', 'chua']);
/** Particles and forms of address that may follow it, as the normaliser gives them ("ad" arrives as "admin", "v" and "z" as "vậy", "e" as "em"). */
const CLOSING = new Set(['a', 'admin', 'ha', 'vay', 'nhi', 'nha', 'ak', 'em', 'ban', 'anh', 'chi', 'ac']);
const MAY_TO_NO = 10;
function asksMayOrMust(toks: Tok[]): boolean {
  let end = toks.length - 1;
  while (end > 0 && CLOSING.has(toks[end].f) && toks.length - end <= 2) end--;
  if (!YES_NO.has(toks[end]?.f ?? '')) return false;
  return toks.slice(Math.max(0, end - MAY_TO_NO), end - 1).some((t) => MAY_OR_MUST.has(t.f));
}

/**
 * "nộp hồ sơ xác nhận tình trạng hôn nhân tuần trước, bao giờ lấy được", "hôm trước tôi nộp giấy xin xác nhận nơi ở
 * mà giờ chưa có": a submission said to be past (a day or a week named before now) and asked when it comes asks for
 * that dossier's status, whatever procedure it names ("nộp từ tuần trước" and the like are asks_status phrases; here
 * the procedure's words stand between). Folded words.
 */
const SUBMITTED = PhraseMatcher.of(['nộp', 'gửi', 'làm đơn']);
// Abbreviations are written out before these are looked for ("hqua" is read "hôm qua": abbreviations.yaml).
const PAST = PhraseMatcher.of(['tuần trước', 'tháng trước', 'hôm trước', 'hôm qua', 'hôm thứ', 'từ thứ', 'từ tháng', 'từ hôm',
  'bữa trước', 'đầu tháng', 'từ đầu tuần', 'tuần rồi', 'hồi sáng', 'thứ hai', 'thứ ba', 'thứ tư', 'thứ năm', 'thứ sáu', 'thứ bảy',
  'từ tết', 'từ hồi', 'đợt trước', 'hồi tháng', 'hôm bữa', 'bữa hổm']);
const WHEN = PhraseMatcher.of(['bao giờ', 'khi nào', 'lấy được', 'có kết quả', 'chưa có', 'bao lâu nữa', 'có giấy chưa', 'răng rồi',
  'có chưa', 'xử lý chưa', 'chưa thấy', 'sao rồi', 'trễ hẹn', 'chừng nào', 'không thấy', 'chưa biết', 'được chưa', 'nhận chưa',
  'lấy chưa']);
/** "nộp nhập hộ khẩu qua VNeID cả tuần rồi chưa thấy gì, theo quy định mất mấy ngày": what the procedure takes, asked. */
const ASKS_DURATION = PhraseMatcher.of(['mất mấy ngày', 'mất bao lâu', 'theo quy định', 'thời hạn giải quyết']);
/** "mô hình 'công dân không viết' ở phường mình triển khai tới đâu rồi": a reform model's progress, not a dossier's. */
const NOT_A_DOSSIER = PhraseMatcher.of(['mô hình', 'triển khai']);
const SUBMITTED_TO_PAST = 12;
/** How far after "nộp" its "rồi" may come ("nộp hồ sơ khai tử cho ông rồi"). */
const SUBMITTED_TO_DONE = 8;
/** "nộp hôm 3/6": a day named by its date ("3/6" is read as two numbers). */
const DAY = new Set(['hom', 'ngay']);
/** "nộp 10 ngày rồi", "nộp cả tháng nay", "nộp 2 tháng chưa có": time gone by since, a number or "cả" / "mấy" / "nửa" first. */
const SPAN = new Set(['ngay', 'tuan', 'thang']);
const SPAN_COUNT = new Set(['ca', 'may', 'nua', 'ba']);
const GONE_BY = new Set(['roi', 'r', 'nay', 'chua', 'khong', 'hong']);
const isDigits = (t: Tok | undefined) => t !== undefined && /^\d{1,2}$/.test(t.f);
/** The first position from `from` on where `at` holds. */
function firstFrom(toks: Tok[], from: number, at: (i: number) => boolean): number | undefined {
  for (let i = from; i < toks.length; i++) if (at(i)) return i;
  return undefined;
}
/** `written`: the words numbers are written out as (NluParts.writtenNumbers): "hôm 2/7" is read "hom hai 7". */
function asksWhenSubmitted(toks: Tok[], written: Set<string>): boolean {
  const submitted = SUBMITTED.first(toks)?.start;
  if (submitted === undefined) return false;
  const from = Math.max(0, submitted - SUBMITTED_TO_PAST);
  const f = (i: number) => toks[i]?.f ?? '';
  // A written-out day counts before a number only ("hôm hai" alone is no date).
  const dateAt = (i: number) => DAY.has(f(i)) && (isDigits(toks[i + 1]) || (written.has(f(i + 1)) && isDigits(toks[i + 2])));
  const agoAt = (i: number) => (isDigits(toks[i]) || written.has(f(i)) || SPAN_COUNT.has(f(i))) && SPAN.has(f(i + 1)) && GONE_BY.has(f(i + 2));
  // "nộp rồi, bao giờ có giấy", "nộp hs xin xác nhận độc thân r, khi nào lấy": the submission said done; not "nộp rồi
  // thì bao lâu có kết quả", which asks what would follow.
  const doneAt = (i: number) => i > submitted && i <= submitted + SUBMITTED_TO_DONE && DONE_ACT_END.has(f(i)) && f(i + 1) !== 'thi';
  const past = PAST.first(toks, from)?.start ?? firstFrom(toks, from, dateAt) ?? firstFrom(toks, from, agoAt) ?? firstFrom(toks, submitted + 1, doneAt);
  return past !== undefined && past <= submitted + SUBMITTED_TO_PAST && WHEN.first(toks, submitted + 1) !== undefined
    && !ASKS_DURATION.occursIn(toks);
}

interface NameWords { folded: Set<string>; accented: Set<string> }
const NO_NAME: NameWords = { folded: new Set(), accented: new Set() };
/**
 * Classifier words ("chiếc xe", "cuốn sổ", "ngôi nhà") stand between the words of a phrase the lexicon knows ("mua
 * lại chiếc xe máy cũ" is "mua lại xe"): the lexicon reads the message without them. Typed without diacritics only
 * where the folded word is no other word that matters ("quyen" is also "quyền", "tam" "tạm"). Not "mảnh": "mua
 * mảnh đất" read as "mua đất" lost as many answers as it won.
 */
const CLASSIFIERS = new Set(['chiếc', 'cái', 'cuốn', 'quyển', 'tấm', 'ngôi'].map(accentKey));
const CLASSIFIERS_FOLDED = new Set(['chiec', 'cuon']);
const isClassifier = (t: Tok) => (t.a === undefined ? CLASSIFIERS_FOLDED.has(t.f) : CLASSIFIERS.has(t.a));

/**
 * "Bố em mất được 3 tháng rồi, giờ mẹ em muốn làm thủ tục để đứng tên mảnh đất": what is asked comes after the
 * last "muốn" / "cần" / "giờ" (now; "mấy giờ" has no story before it) ("định" is also "định danh", "định cư"); what
 * comes before is the story. The message is also
 * read with the story's words weighing this much, so a record the question names is not outweighed by one the story
 * names (each record keeps its better reading).
 */
const STORY_WEIGHT = 0.3;
/** The message with the words from `from` to `to` (exclusive) weighing STORY_WEIGHT of what they weighed. */
const storyWeighed = (toks: Tok[], from: number, to: number): Tok[] =>
  toks.map((t, i) => (i >= from && i < to ? { ...t, w: (t.w ?? 1) * STORY_WEIGHT } : t));
/** "để" (in order to) as typed with diacritics; typed without them, "de" is read so too. */
const PURPOSE = accentKey('để');
/** "xong rồi", "xong r", "xong xuôi": what comes before is done. */
const DONE_AFTER = new Set(['roi', 'r', 'xuoi']);
/** "đã … rồi" / "đã … r": a step said done; "đã" as typed with diacritics; how far back from "rồi" it is looked for;
 * the acts of a procedure it may say done. */
const DONE_ACT_END = new Set(['roi', 'r']);
const DONE_MARK = accentKey('đã');
const DONE_CLAUSE = 8;
const DONE_ACTS = new Set(['chung', 'thuc', 'cong', 'dang', 'ky', 'nop', 'lam', 'xin', 'cap', 'khai']);
const ASK_WORDS = new Set(['muốn', 'cần', 'giờ', 'chừ'].map(accentKey)); // "chừ": Central for "giờ"
/** Content words (not function, question or aspect words) the story and the question need at least. */
const STORY_MIN = 3;
const ASK_MIN = 2;
const isAskWord = (t: Tok) => (t.a !== undefined ? ASK_WORDS.has(t.a) : t.f === 'muon'); // typed without diacritics, "muon" is "muốn"

/** The readings as folded words (what the rules on names compare). */
const foldedWords = (readings: Tok[][]) => readings.map((r) => r.map((t) => t.f));

/** Function words spelled like a word of the catalogue whose sense needs one of these neighbours. */
const CONTENT_ONLY_BESIDE: Record<string, { before: string[]; after: string[] }> = {
  sao: { before: ['ban', 'cap'], after: ['y', 'luc', 'ke', 'chep'] },
};

export { ASPECTS, INTENTS };
export type { Aspect, Decision, Intent };

/** Asking for a document again, as people say it and as the lexicon reads a loss ("mất sổ đỏ" -> "cấp lại giấy chứng nhận..."). */
const ASKED_AGAIN = [['cap', 'lai'], ['lam', 'lai'], ['xin', 'lai']];
/** ...and as a record's name says it (folded words spell y as i: "đăng ký lại" is "dang ki lai"): "Cấp lại…", "Đăng ký lại…". */
const ANEW = [...ASKED_AGAIN, ['dang', 'ki', 'lai']];
/** A record for a document again, as messages and names say it, or for a new one in its place ("cấp đổi"). */
const AGAIN = [...ANEW, ['cap', 'doi']];
const FIRST_TIME = [['lan', 'dau']];
/** A foreign party, as record names say it and as the lexicon reads nationalities ("người Hàn" -> "có yếu tố nước ngoài"). */
const FOREIGN = [['yeu', 'to', 'nuoc', 'ngoai'], ['nguoi', 'nuoc', 'ngoai']];
/** A document lost or asked for again, said plainly: not "mất" alone, which is also "mất bao lâu", "mất phí". */
const LOST_OR_AGAIN = [...ANEW, ['bi', 'mat'], ['lam', 'mat'], ['danh', 'mat'], ['that', 'lac']];
/**
 * The message says the document was lost ("mất", "thất lạc", "bị trộm", "cháy") or asks for it again ("lái" folds to
 * "lai" alone, so only pairs). A damaged one ("rách", "hỏng", "cũ nát") is changed, not re-issued.
 */
const LOSS = [...ASKED_AGAIN, ['doi', 'lai'], ['mat'], ['that', 'lac'], ['trom'], ['cuop'], ['chay'], ['thien', 'tai']];
/**
 * Records that stop or undo something ("Dừng thực hiện thủ tục đăng ký hộ kinh doanh", "Thu hồi…", "Hủy…"), matched
 * with diacritics in the first words of the name; a message asks for them with any of ENDING_IN_MESSAGE, compared
 * folded (so "sử dụng" also counts as "dừng" and leaves things as they were).
 */
const ENDING_IN_NAME = [['dừng'], ['thu', 'hồi'], ['hủy'], ['huỷ'], ['chấm', 'dứt'], ['ngừng'], ['xóa'], ['xoá'], ['giải', 'thể'], ['thôi']];
const ENDING_IN_MESSAGE = [['dung'], ['thu', 'hoi'], ['huy'], ['cham', 'dut'], ['ngung'], ['nghi'], ['xoa'], ['giai', 'the'], ['thoi'], ['bo'],
  ['dong', 'cua'], ['khong', 'kinh', 'doanh'], ['het', 'han'], ['nop', 'lai'], ['tra', 'lai'], ['thanh', 'ly'], ['sat', 'vun']];
/** What a held-down record keeps of its probability (a case other than the message's: first time / again, a re-issue, an ending). */
const OTHER_CASE_KEEPS = 0.05;
/** The probability the other records must hold between them to share what those lose. */
const REST_SHARES = 0.1;

const hasAny = (words: string[], runs: string[][]) => runs.some((run) => findRun(words, run) >= 0);
/** A name's words after a leading "Thủ tục": what the record does comes first ("Thủ tục thôi quốc tịch…"). */
const afterThuTuc = (words: string[], [thu, tuc]: [string, string]) => (words[0] === thu && words[1] === tuc ? words.slice(2) : words);

/** What a record's name says it does, read once per record object (a knowledge-base load makes new ones). */
interface NameKinds {
  firstTime: boolean; again: boolean; reissues: boolean; ends: boolean; police: boolean; household: boolean; company: boolean;
  /** "…có yếu tố nước ngoài", "…cho người nước ngoài": the variant of a record for foreigners or with a foreign party. */
  foreign: boolean;
  /** "Đăng ký lại…", "Cấp lại…": the record for a document again. */
  anew: boolean;
  /** "…cho trẻ em dưới 6 tuổi": a record for children only. */
  children: boolean;
  /** "Đăng ký thành lập…": a record that creates what a message about changing it already has. */
  founds: boolean;
  /** The name's folded words after a leading "Thủ tục" (a record is a variant of another that says all of its words). */
  words: ReadonlySet<string>;
}
const NAME_KINDS = new WeakMap<KbProcedure, NameKinds>();
function kindsOf(p: KbProcedure): NameKinds {
  let kinds = NAME_KINDS.get(p);
  if (kinds) return kinds;
  const folded = tokenize(fold(clean(p.name)));
  const head = afterThuTuc(folded, ['thu', 'tuc']);
  const accented = clean(p.name).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  kinds = {
    // Not "Đính chính Giấy chứng nhận đã cấp lần đầu có sai sót": it corrects what was issued the first time.
    firstTime: hasAny(folded, FIRST_TIME) && !hasAny(head.slice(0, 2), [['dinh', 'chinh']]),
    again: hasAny(folded, AGAIN),
    // It begins "Cấp lại" and does not also change the document ("Cấp lại, đổi, điều chỉnh thông tin trên sổ BHXH"),
    // "đổi" as written: folded, "đối với" would be it too.
    reissues: head[0] === 'cap' && head[1] === 'lai' && !accented.includes('đổi'),
    // In its first four words: "ghi vào sổ hộ tịch việc ly hôn, hủy việc kết hôn" records what others decided.
    ends: hasAny(afterThuTuc(accented, ['thủ', 'tục']).slice(0, 4), ENDING_IN_NAME),
    police: /^chính sách$/iu.test(p.field.trim()) && /công an/iu.test(p.competentBody ?? ''),
    household: hasAny(folded, HOUSEHOLD_BUSINESS),
    company: hasAny(folded, COMPANY),
    foreign: hasAny(folded, FOREIGN),
    anew: hasAny(folded, ANEW),
    children: hasAny(folded, [['tre', 'em']]),
    founds: hasAny(head.slice(0, 4), [['thanh', 'lap']]),
    words: new Set(head),
  };
  NAME_KINDS.set(p, kinds);
  return kinds;
}

/**
 * A message that asks for a document again ("mất sổ đỏ", "cấp lại bằng lái") is not about the record for the first
 * time ("Cấp giấy chứng nhận quyền sử dụng đất lần đầu"), however well the rest of its name matches: the name's
 * tail is worth little to the index, and "lại" less than "lần đầu" is worth to the citizen. The other way round
 * too ("làm sổ đỏ lần đầu" is not "Cấp đổi..."). `read`: the message's readings as folded words.
 */
export function firstOrAgain({ read }: Asked, ranked: Array<Ranked<KbProcedure>>, probabilities: number[]): number[] {
  const again = read.some((w) => hasAny(w, AGAIN));
  const first = !again && read.some((w) => hasAny(w, FIRST_TIME));
  if (!again && !first) return probabilities;
  return holdDown(probabilities, ranked.map((r) => (again ? kindsOf(r.item).firstTime : kindsOf(r.item).again)));
}

/**
 * A message that says what makes one record a variant of another asks for the variant: a foreign party ("chồng em
 * người Hàn", read by the lexicon as "có yếu tố nước ngoài") or a document lost or asked for again ("giấy kết hôn bị
 * mất, xin lại"). The plain record ("Đăng ký khai sinh"), every word of which the variant's name says, matched the
 * message better on its short name alone and came first; it is held down when its variant is a candidate.
 */
export function variantAsked({ read }: Asked, ranked: Array<Ranked<KbProcedure>>, probabilities: number[]): number[] {
  const foreign = read.some((w) => hasAny(w, FOREIGN));
  const again = read.some((w) => hasAny(w, LOST_OR_AGAIN));
  if (!foreign && !again) return probabilities;
  const kinds = ranked.map((r) => kindsOf(r.item));
  const variants = kinds.filter((k) => (foreign && k.foreign) || (again && k.anew));
  if (variants.length === 0) return probabilities;
  const plain = (k: NameKinds) => (foreign && !k.foreign) || (again && !k.anew);
  return holdDown(probabilities, kinds.map((k) => plain(k) && variants.some((v) => v !== k && [...k.words].every((w) => v.words.has(w)))));
}

/**
 * A message about changing what the citizen already has ("sổ đỏ ghi sai tên", "giấy phép hộ kinh doanh bị rách", "thêm
 * ngành nghề", "tạm nghỉ bán") is not about getting it the first time ("Cấp giấy chứng nhận … lần đầu") nor about
 * founding it ("Đăng ký thành lập hộ kinh doanh"), which the lexicon's reading of "sổ đỏ", "giấy phép kinh doanh" put first.
 */
export function changeAsked({ read }: Asked, ranked: Array<Ranked<KbProcedure>>, probabilities: number[]): number[] {
  // "Sổ đỏ mới cấp lần đầu mà ghi sai năm sinh": a paper written wrong is to be corrected, whenever it was first issued.
  const wrong = hasAny(read[0] ?? [], WRONG);
  if (!hasAny(read[0] ?? [], CHANGE) || (!wrong && read.some((w) => hasAny(w, FIRST_TIME)))) return probabilities;
  return holdDown(probabilities, ranked.map((r) => { const k = kindsOf(r.item); return k.firstTime || k.founds; }));
}
/** Changing something one has, as written (pairs: "sai" alone is also "sài", "đổi" also "đối"). */
const WRONG = [['ghi', 'sai'], ['bi', 'sai'], ['in', 'sai'], ['sua', 'lai'], ['sua', 'thong', 'tin'], ['dinh', 'chinh']];
const CHANGE = [...WRONG, ['bo', 'sung'],
  ['thay', 'doi'], ['cap', 'nhat'], ['them', 'nganh'], ['doi', 'ten'], ['doi', 'dia', 'chi'], ['tam', 'ngung'], ['nghi', 'ban'],
  ['dong', 'cua'], ['chuyen', 'nhuong'], ['sang', 'ten'], ['tach', 'thua'], ['de', 'rieng'], ['bi', 'rach']];

/**
 * A record for children ("Cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi") is not what a message that speaks of no child
 * asks: "thẻ bhyt bị mất cấp lại", "bảo hiểm y tế cả nhà" came first as the child's card, however the rest matched.
 */
export function childUnasked({ read }: Asked, ranked: Array<Ranked<KbProcedure>>, probabilities: number[]): number[] {
  if (read.some((w) => hasAny(w, CHILD))) return probabilities;
  return holdDown(probabilities, ranked.map((r) => kindsOf(r.item).children));
}
/** A child, as messages say it (folded: "con" is also "còn", which leaves things as they were). */
const CHILD = [['be'], ['con'], ['tre'], ['chau'], ['so', 'sinh'], ['moi', 'sinh'], ['tuoi'], ['khai', 'sinh'], ['nhi']];

/**
 * A message that does not say the document was lost, nor ask for it again, is not about its re-issue ("Cấp lại giấy
 * phép lái xe") however well the rest of the name matches: "đổi bằng lái xe" was answered with the re-issue when the
 * change (a ministry-level record) was not loaded, "làm căn cước cho con" offered it second.
 */
export function reissueUnasked({ read }: Asked, ranked: Array<Ranked<KbProcedure>>, probabilities: number[]): number[] {
  if (read.some((w) => hasAny(w, LOSS))) return probabilities;
  return holdDown(probabilities, ranked.map((r) => kindsOf(r.item).reissues));
}

/** A message that says none of ENDING_IN_MESSAGE does not ask to stop something: "đăng ký hộ kinh doanh" gave the stop record 0.35. */
export function endingUnasked({ read }: Asked, ranked: Array<Ranked<KbProcedure>>, probabilities: number[]): number[] {
  if (read.some((w) => hasAny(w, ENDING_IN_MESSAGE))) return probabilities;
  return holdDown(probabilities, ranked.map((r) => kindsOf(r.item).ends));
}

/**
 * The people's police's own policy procedures (field "Chính sách", decided by the Công an) are for its officers and
 * their families: "Cấp thẻ bảo hiểm y tế" there, though its name says nothing of it, answered "làm thẻ bảo hiểm y tế
 * ở đâu" sure of itself. Held down unless the message speaks of the police ("bố em là công an", "chiến sĩ", "CAND").
 */
export function policeUnasked({ text }: Asked, ranked: Array<Ranked<KbProcedure>>, probabilities: number[]): number[] {
  if (POLICE_WORDS.test(fold(text.toLowerCase()))) return probabilities;
  // Out of the running, not only held down: what is left is what a citizen may use ("làm thẻ bảo hiểm y tế" is the
  // social-insurance card), however little of the ranker's weight it had.
  return setAside(probabilities, ranked.map((r) => kindsOf(r.item).police));
}

/**
 * Asks for a unit, folded: "xã gì", "phường nào", "tên mới là gì", "thuộc đâu", "đổi thành", "gồm những", "mấy xã",
 * "(địa chỉ) ghi sao".
 */
const ASKS_UNIT = new RegExp(['\\s(xa|phuong|huyen|tinh|quan|tran|pho|tp|p|x|h|q)\\s+(nao|gi|j|mo)', '\\sten\\s(moi\\s)?(la\\s)?(gi|j)',
  '\\sthuoc\\s(ve\\s)?(dau|xa|phuong)', '\\sdoi\\sthanh', '\\s(giu|con|doi)\\sten', '\\sten\\s(moi|cu)', '\\sgom\\s(nhung|nhg|cac|may)',
  '\\s(may|bao\\snhieu)\\s(xa|phuong)', '\\sghi\\s(sao|the\\snao|nhu\\sthe\\snao|ntn|la\\sgi)'].map((p) => `${p}(?![a-z])`).join('|'), 'u');

/** A message without the places it names, each replaced by a space. */
function withoutPlaces(text: string, mentions: Array<{ start: number; end: number }>): string {
  let out = text;
  for (const m of [...mentions].sort((a, b) => b.start - a.start)) out = `${out.slice(0, m.start)} ${out.slice(m.end)}`;
  return out;
}
/** Any of `words` as typed or without diacritics, a whole word or words, with what precedes it ('$1'); none: never matches. */
function wordsPattern(words: string[]): RegExp {
  const alternatives = words.flatMap((w) => [w, fold(w)]).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return alternatives.length ? new RegExp(`(^|[^\\p{L}])(${alternatives.join('|')})(?![\\p{L}])`, 'giu') : /(?!)/u;
}

/** The probabilities without the `aside` records, the others' renormalised (unchanged when nothing else is left). */
function setAside(probabilities: number[], aside: boolean[]): number[] {
  if (!aside.some(Boolean)) return probabilities;
  const rest = probabilities.reduce((sum, p, i) => (aside[i] ? sum : sum + p), 0);
  return rest > 0 ? probabilities.map((p, i) => (aside[i] ? 0 : p / rest)) : probabilities;
}
const POLICE_WORDS = /\b(cong an|cand|chien si|si quan)\b/u;

/**
 * A company is not a household business, nor the other way round: "công ty muốn đóng cửa vĩnh viễn" was answered,
 * sure of itself, with closing a household business, "hộ kinh doanh tạm ngừng" could be offered a company's. A
 * message naming one and not the other sets the other's records aside (a record naming both, "chuyển đổi hộ kinh
 * doanh thành doanh nghiệp", stays).
 */
export function businessUnasked({ read }: Asked, ranked: Array<Ranked<KbProcedure>>, probabilities: number[]): number[] {
  // A company as written (the first reading); a household business as written or as the lexicon reads the message
  // ("mở tiệm tạp hóa" is one), unless a company is written: the lexicon reads "đăng ký kinh doanh" as a household's.
  const company = hasAny(read[0] ?? [], COMPANY);
  const household = hasAny(read[0] ?? [], HOUSEHOLD_BUSINESS) || (!company && read.some((w) => hasAny(w, HOUSEHOLD_BUSINESS)));
  if (company === household) return probabilities;
  return setAside(probabilities, ranked.map((r) => {
    const k = kindsOf(r.item);
    return company ? k.household && !k.company : k.company && !k.household;
  }));
}
const HOUSEHOLD_BUSINESS = [['ho', 'kinh', 'doanh']];
const COMPANY = [['cong', 'ti'], ['doanh', 'nghiep']]; // folded words spell y as i ('công ty' is 'cong ti')

/**
 * An organisation that changes its name or its representative ("HTX rau của thôn muốn đổi tên", "công ty tôi đổi tên")
 * is not a person correcting their civil status ("Thay đổi, cải chính, bổ sung thông tin hộ tịch"), which "đổi tên"
 * put first, sure of itself: a message naming an organisation and a change holds the civil-status records down.
 */
export function organisationChanges({ read }: Asked, ranked: Array<Ranked<KbProcedure>>, probabilities: number[]): number[] {
  if (!hasAny(read[0] ?? [], ORGANISATION) || !hasAny(read[0] ?? [], CHANGE)) return probabilities;
  return holdDown(probabilities, ranked.map((r) => /^hộ tịch$/iu.test(r.item.field.trim())));
}
const ORGANISATION = [...COMPANY, ['hop', 'tac', 'xa'], ['to', 'hop', 'tac']];

/**
 * What the ranker's probabilities are corrected by, in this order: each rule compares what the message says (as
 * typed, and its readings as folded words) with what a record's name or fields say.
 */
interface Asked { text: string; read: string[][] }
type Adjustment = (asked: Asked, ranked: Array<Ranked<KbProcedure>>, probabilities: number[]) => number[];
const ADJUSTMENTS: Adjustment[] = [firstOrAgain, variantAsked, changeAsked, reissueUnasked, endingUnasked, childUnasked, policeUnasked, businessUnasked,
  organisationChanges];

/**
 * The probabilities with the `held` records keeping OTHER_CASE_KEEPS of theirs, and what they lose given to the others
 * only when the ranker gave those some weight of their own: with nothing else near (the sample holds "lần đầu"
 * alone), the record stays unlikely and the bot asks rather than answers.
 */
function holdDown(probabilities: number[], held: boolean[]): number[] {
  if (!held.some(Boolean)) return probabilities;
  const kept = probabilities.map((p, i) => (held[i] ? p * OTHER_CASE_KEEPS : p));
  const rest = probabilities.reduce((s, p, i) => (held[i] ? s : s + p), 0);
  if (rest < REST_SHARES) return kept;
  const total = kept.reduce((s, p) => s + p, 0);
  return kept.map((p) => p / total);
}

