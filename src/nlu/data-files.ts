import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { loadRanker, type RankerModel } from './ranker.js';

// The NLU's data files in intents/: one file per intent, plus the aspect keywords and the abbreviation
// lexicon. Any problem stops start-up with the file and line.

export const INTENTS = ['greeting', 'goodbye_thanks', 'help', 'procedure_lookup', 'dossier_status', 'model_info',
  'feedback', 'rating', 'contact_info', 'human_handoff', 'home_service', 'subscribe', 'locality', 'out_of_scope'] as const;
export type Intent = (typeof INTENTS)[number];
/** Intents that are actions or conversation, not questions about a procedure (only theirs may list stands_with). */
export const ACTIONS: ReadonlySet<Intent> = new Set<Intent>(['greeting', 'goodbye_thanks', 'help', 'dossier_status', 'feedback',
  'rating', 'contact_info', 'human_handoff', 'home_service', 'subscribe']);
export const ASPECTS = ['documents', 'fee', 'duration', 'place', 'online', 'forms', 'legal', 'eligibility', 'general'] as const;
export type Aspect = (typeof ASPECTS)[number];

export const INTENTS_DIR = path.resolve(import.meta.dirname, '../../intents');

const phrase = z.string().trim().min(1).max(300);
/** Phrase lists only one intent's file may hold (what they mean is that intent's). */
const OWNED_PHRASES = { asks_else: 'out_of_scope', asks_status: 'dossier_status', asks_what: 'model_info', not_evidence_beside_place: 'locality' } as const;
const intentFileSchema = z.object({
  intent: z.enum(INTENTS),
  description: z.string().optional(),
  examples: z.array(phrase).min(5),
  /** Words one of which a message must say for the classifier's reading as this intent to stand (see NluData.cues). */
  cues: z.array(phrase).min(1).optional(),
  /** Phrases in which a cue word does not count ("kinh doanh tại nhà" is no request to be served at home). */
  not_cues: z.array(phrase).min(1).optional(),
  /** out_of_scope only: what no procedure answers (see NluData.asksElse). */
  asks_else: z.array(phrase).min(1).optional(),
  /** dossier_status only: what only a submitted dossier answers (see NluData.asksStatus). */
  asks_status: z.array(phrase).min(1).optional(),
  /** model_info only: asking what a thing is (see NluData.asksWhat). */
  asks_what: z.array(phrase).min(1).optional(),
  /** What makes the classifier's reading as this intent stand over a procedure the message names (NluData.standsWith). */
  stands_with: z.array(phrase).min(1).optional(),
  /** Phrases that say this action outright, whatever the classifier reads (NluData.says). */
  says: z.array(phrase).min(1).optional(),
  /** locality only: the reorganisation's words, never evidence for a procedure asked beside a place (see NluData.reorganisationWords). */
  not_evidence_beside_place: z.array(phrase).min(1).optional(),
}).strict().superRefine((f, ctx) => {
  for (const [key, owner] of Object.entries(OWNED_PHRASES)) {
    if (f[key as keyof typeof OWNED_PHRASES] && f.intent !== owner) ctx.addIssue({ code: 'custom', message: `${key} belongs in the ${owner} file`, path: [key] });
  }
  for (const key of ['stands_with', 'says'] as const) {
    if (f[key] && !ACTIONS.has(f.intent)) {
      ctx.addIssue({ code: 'custom', message: `${key} is for the intents of an action (hand-off, feedback, home service...)`, path: [key] });
    }
  }
});
const aspectsFileSchema = z.object({
  aspects: z.object(Object.fromEntries(ASPECTS.filter((a) => a !== 'general').map((a) => [a, z.array(phrase).min(1)])) as
    Record<Exclude<Aspect, 'general'>, z.ZodArray<typeof phrase>>).strict(),
  may_or_must: z.array(phrase).default([]),
  where_may: z.array(phrase).default([]),
  not_aspects: z.array(phrase).default([]),
}).strict();
const abbreviationsFileSchema = z.object({
  abbreviations: z.record(z.string().trim().min(1).max(20), z.coerce.string().trim().min(1).max(80)),
}).strict();
const functionWordsFileSchema = z.object({
  function_words: z.array(phrase).min(1),
  question_words: z.array(phrase).min(1),
  weak_words: z.array(phrase).default([]),
}).strict();
const lexiconEntries = z.record(z.string().trim().min(1).max(80), z.union([phrase, z.array(phrase).min(1)])
  .transform((v) => (Array.isArray(v) ? v : [v])));
/** "người dưới 14 tuổi: 1-13": each age in the range said as a number ("con 7t") is a qualifier with that meaning. */
const ageRanges = z.record(phrase, z.string().regex(/^\d{1,3}-\d{1,3}$/, 'expected a range of ages such as "1-13"')
  .transform((r) => r.split('-').map(Number) as [number, number]).refine(([from, to]) => from <= to, 'the range ends before it starts'));
const lexiconFileSchema = z.object({ lexicon: lexiconEntries, qualifiers: lexiconEntries.default({}), ages: ageRanges.default({}) }).strict();

export class DataFileError extends Error {}

export interface NluData {
  examples: Record<Intent, string[]>;
  aspects: Record<Exclude<Aspect, 'general'>, string[]>;
  /** Yes/no phrases of "may I / must I": an eligibility question when no other aspect is asked. */
  mayOrMust: string[];
  /** Offices after "ở/tại": with a may_or_must phrase, the question is where ("làm ở xã được không"). */
  whereMay: string[];
  /** Phrases in which an aspect word does not count ("mai táng phí" asks no fee). */
  notAspects: string[];
  abbreviations: Record<string, string>;
  /** Words that carry no meaning of their own (taken out of messages and of official names). */
  functionWords: string[];
  /** How people ask and address the office (taken out of messages and aliases, not of official names). */
  questionWords: string[];
  /** Words naming the kind of paper or act ("thẻ", "giấy", "cấp"): they count for little in matching. */
  weakWords: string[];
  /**
   * Intents the classifier may read only in a message that says one of these words ("tại nhà", "không đi được" for
   * home_service): without them, the word "nhà" alone made "lập di chúc để lại nhà cho con" a home-service request.
   */
  cues: Partial<Record<Intent, string[]>>;
  /** Phrases in which the intent's cue words do not count (the message is read without them). */
  notCues: Partial<Record<Intent, string[]>>;
  /**
   * What no procedure answers, however well the message names one (a bank's rate, a price, advice, an opinion:
   * "lãi suất vay thế chấp sổ đỏ", "làm căn cước gắn chip có bị theo dõi không"): never answered with a procedure.
   */
  asksElse: string[];
  /**
   * Questions only a dossier already submitted answers ("xong chưa", "đã được giải quyết chưa", "đang nằm ở đâu"):
   * the message asks for its status even when it names the procedure ("hồ sơ trích lục kết hôn của em xong chưa").
   */
  asksStatus: string[];
  /**
   * Phrases that make the classifier's reading as an action intent stand, though the message names a procedure: asking
   * an official to come ("hỗ trợ tận nhà" for home_service: "ông em cần chứng thực chữ ký mà không lên xã nổi, hỗ trợ
   * tận nhà được không"), a complaint ("bức xúc", "hướng dẫn sai" for feedback).
   */
  standsWith: Partial<Record<Intent, string[]>>;
  /**
   * Phrases that say an action outright ("có ai trực page không" for human_handoff, "menu đâu" for help, "đừng gửi tin
   * nữa" for subscribe): the message is read as that intent, as surely as an action must be read to win over a
   * procedure it names, whatever the classifier reads (its examples cannot hold every way of saying it).
   */
  says: Partial<Record<Intent, string[]>>;
  /**
   * Asking what a thing is ("là sao", "để làm gì", "là dịch vụ gì"): with a reform model named well, the message asks
   * about the model ("nghe nói thứ Hai lên xã không cần viết tờ khai, vậy là sao"), though its words are a procedure's.
   */
  asksWhat: string[];
  /**
   * The reorganisation's words ("sáp nhập", "cũ", "nay là"): a place question is read again without them and its places
   * for a procedure it may ask ("sáp nhập" is also a company's merger).
   */
  reorganisationWords: string[];
  /** Citizens' words -> official terms (intents/lexicon.yaml; officials add more from the console). */
  lexicon: Record<string, string[]>;
  /**
   * The lexicon's terms that only qualify a thing ("16 tuổi" -> "người từ đủ 14 tuổi trở lên"): a record matched on
   * their words alone is no candidate (`qualifiers:` and `ages:` of a lexicon file; their entries are in `lexicon` too).
   */
  qualifiers: string[];
  /** The candidate ranker's weights (intents/ranker.json, `npm run train:ranker`). */
  ranker: RankerModel;
}

function loadYaml<T extends z.ZodTypeAny>(file: string, schema: T): z.infer<T> {
  const lineCounter = new LineCounter();
  const text = readFileSync(file, 'utf8');
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const where = (offset: number | undefined) => (offset === undefined ? 1 : lineCounter.linePos(offset).line);
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new DataFileError(`${file}:${where(e.pos[0])}: ${e.message.split('\n')[0]}`);
  }
  const parsed = schema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    let node = doc.getIn(issue.path as Array<string | number>, true) as { range?: [number, number, number] } | undefined;
    for (let p = issue.path.length - 1; !node?.range && p >= 0; p--) {
      node = doc.getIn(issue.path.slice(0, p) as Array<string | number>, true) as typeof node;
    }
    const at = issue.path.length ? ` (${issue.path.join('.')})` : '';
    throw new DataFileError(`${file}:${where(node?.range?.[0] ?? doc.contents?.range?.[0])}: ${issue.message}${at}`);
  }
  return parsed.data;
}

export function loadNluData(dir = INTENTS_DIR): NluData {
  const examples = Object.fromEntries(INTENTS.map((i) => [i, [] as string[]])) as Record<Intent, string[]>;
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort();
  let aspects: NluData['aspects'] | undefined;
  let mayOrMust: string[] = [];
  let whereMay: string[] = [];
  let notAspects: string[] = [];
  let abbreviations: NluData['abbreviations'] = {};
  let lexicon: NluData['lexicon'] = {};
  const qualifiers: string[] = [];
  const cues: NluData['cues'] = {};
  const notCues: NluData['notCues'] = {};
  const asksElse: string[] = [];
  const asksStatus: string[] = [];
  const standsWith: NluData['standsWith'] = {};
  const says: NluData['says'] = {};
  const asksWhat: string[] = [];
  const reorganisationWords: string[] = [];
  let words: z.infer<typeof functionWordsFileSchema> | undefined;
  for (const name of files) {
    const file = path.join(dir, name);
    if (name.startsWith('aspects.')) ({ aspects, may_or_must: mayOrMust, where_may: whereMay, not_aspects: notAspects } = loadYaml(file, aspectsFileSchema));
    else if (name.startsWith('abbreviations.')) abbreviations = loadYaml(file, abbreviationsFileSchema).abbreviations;
    else if (name.startsWith('function-words.')) words = loadYaml(file, functionWordsFileSchema);
    // lexicon.yaml and any lexicon-*.yaml: one vocabulary (a term in two files is an error naming the second).
    else if (name.startsWith('lexicon')) {
      const read = loadYaml(file, lexiconFileSchema);
      const ages = Object.entries(read.ages).flatMap(([meaning, [from, to]]) =>
        Array.from({ length: to - from + 1 }, (_, i): [string, string[]] => [`${from + i} tuổi`, [meaning]]));
      const qualifying = [...Object.entries(read.qualifiers), ...ages];
      const entries = [...Object.entries(read.lexicon), ...qualifying];
      const seen = new Set<string>();
      const twice = entries.map(([term]) => term).find((t) => {
        const again = seen.has(t) || t in lexicon;
        seen.add(t);
        return again;
      });
      if (twice) throw new DataFileError(`${file}:1: "${twice}" is already in another lexicon file or section`);
      lexicon = { ...lexicon, ...Object.fromEntries(entries) };
      qualifiers.push(...qualifying.map(([term]) => term));
    }
    else {
      const data = loadYaml(file, intentFileSchema);
      examples[data.intent].push(...data.examples);
      if (data.cues) cues[data.intent] = [...(cues[data.intent] ?? []), ...data.cues];
      if (data.not_cues) notCues[data.intent] = [...(notCues[data.intent] ?? []), ...data.not_cues];
      asksElse.push(...(data.asks_else ?? []));
      asksStatus.push(...(data.asks_status ?? []));
      asksWhat.push(...(data.asks_what ?? []));
      if (data.stands_with) standsWith[data.intent] = [...(standsWith[data.intent] ?? []), ...data.stands_with];
      if (data.says) says[data.intent] = [...(says[data.intent] ?? []), ...data.says];
      reorganisationWords.push(...(data.not_evidence_beside_place ?? []));
    }
  }
  const missing = INTENTS.filter((i) => examples[i].length === 0);
  if (missing.length) throw new DataFileError(`${dir}: no training examples for intent(s) ${missing.join(', ')}`);
  if (!aspects) throw new DataFileError(`${dir}/aspects.yaml: file is missing`);
  if (!words) throw new DataFileError(`${dir}/function-words.yaml: file is missing`);
  return { examples, aspects, mayOrMust, whereMay, notAspects, abbreviations, cues, notCues, asksElse, asksStatus, standsWith, says, asksWhat, reorganisationWords, lexicon, qualifiers, functionWords: words.function_words,
    questionWords: words.question_words, weakWords: words.weak_words,
    ranker: loadRanker(path.join(dir, 'ranker.json')) };
}
