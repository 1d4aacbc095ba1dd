import { z } from 'zod';
import { parseWorkingHours } from '../services/working-hours.js';

// One schema per knowledge-base entry, shared by the sample seed, the console API and imports.

const text = z.string().trim().min(1).max(4000);
const shortText = z.string().trim().min(1).max(500);
/** May be '': the national record or the portal's list gives nothing, and the answer points to the portal. */
const detailText = z.string().trim().max(4000);
/** Steps and conditions of national records run to tens of thousands of characters. */
const longText = z.string().trim().max(100_000).default('');
const optionalLine = z.string().trim().max(500).nullable().default(null);
/** Revisions written in SQL (to_jsonb) hold timestamps without a zone: they are UTC, as the database keeps them. */
const asUtc = (v: unknown) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(v) ? `${v}Z` : v);
const optionalDate = z.preprocess(asUtc, z.coerce.date().nullable()).default(null);
/** A document line: some national records describe one document in about 5,000 characters (1.013225). */
const documentLine = z.string().trim().min(1).max(10_000);
const httpUrl = z.string().trim().url().refine((u) => /^https?:\/\//.test(u), 'Phải là đường dẫn bắt đầu bằng http:// hoặc https://.');

export const buttonSchema = z.object({
  title: z.string().trim().min(1).max(20),
  url: httpUrl.optional(),
  payload: z.string().trim().min(1).max(1000).optional(),
}).refine((b) => b.url || b.payload, 'Nút bấm cần một đường dẫn hoặc một mã.');

/** One submission channel of a procedure, as the national record gives it. */
export const channelSchema = z.object({
  channel: shortText,
  time: z.string().trim().max(4000),
  fee: z.string().trim().max(20_000),
  note: z.string().trim().max(20_000),
});

export const procedureSchema = z.object({
  code: z.string().trim().min(1).max(40).nullable().default(null),
  // Official names run to about 1,100 characters (1.013980), plus a suffix telling two same-named ones apart.
  name: z.string().trim().min(1).max(1200),
  field: shortText,
  level: detailText,
  office: detailText,
  documents: z.array(documentLine).default([]),
  processingTime: detailText,
  fee: detailText,
  place: detailText,
  howToSubmit: detailText,
  onlineAvailable: z.boolean().default(false),
  onlineUrl: httpUrl.nullable().default(null),
  legalBasis: z.array(text).default([]),
  forms: z.array(z.object({ name: shortText, url: httpUrl })).default([]),
  aliases: z.array(shortText).default([]),
  documentsToShow: z.array(documentLine).default([]),
  steps: longText,
  conditions: longText,
  eligibility: detailText.default(''),
  result: longText,
  competentBody: detailText.default(''),
  channels: z.array(channelSchema).default([]),
  feeByProvince: z.boolean().default(false),
  portalUrl: httpUrl.nullable().default(null),
  decision: optionalLine,
  source: optionalLine,
  sourceDate: optionalDate,
  verifiedBy: optionalLine,
  verifiedAt: optionalDate,
});

export const reformModelSchema = z.object({
  name: shortText,
  locality: shortText,
  province: shortText,
  agency: shortText,
  /** Null when the source gives no year (none is invented). */
  year: z.number().int().min(1990).max(2100).nullable().default(null),
  category: shortText,
  summary: text,
  howToUse: text,
  keywords: z.array(shortText).default([]),
  sourceFile: shortText,
  agencyChanged: z.boolean().default(false),
  agencyNow: shortText.nullable().default(null),
  sourceNote: text.nullable().default(null),
  /** Codes of the pre-2025 units in the administrative map ("p:49", "d:753", "c:26683"). */
  placeCodes: z.array(z.string().regex(/^[pdc]:\d{2,5}$/)).default([]),
});

export const faqSchema = z.object({
  questions: z.array(shortText).min(1),
  answer: text,
  buttons: z.array(buttonSchema).max(10).default([]),
  tags: z.array(shortText).default([]),
  enabled: z.boolean().default(true),
});

export const officeSchema = z.object({
  name: shortText,
  address: text,
  phone: shortText,
  hotline: shortText.nullable().optional(),
  email: shortText.nullable().optional(),
  hours: text,
  website: httpUrl.nullable().optional(),
  note: text.nullable().optional(),
  isPrimary: z.boolean().optional(),
  /** The hours hand-offs keep for this office, e.g. "T2-T6 07:30-11:30, 13:30-17:00; T7 07:30-11:30". */
  workingHours: z.string().trim().max(200)
    .refine((v) => v === '' || parseWorkingHours(v) !== null, { message: 'Giờ làm việc theo mẫu "T2-T6 07:30-11:30, 13:30-17:00; T7 07:30-11:30"' })
    .nullable().optional(),
});

export const DOSSIER_STATUSES = ['received', 'processing', 'needs_supplement', 'awaiting_payment', 'rejected',
  'suspended', 'withdrawn', 'done', 'returned'] as const;
export const dossierStatusSchema = z.enum(DOSSIER_STATUSES);
export type DossierStatus = z.infer<typeof dossierStatusSchema>;

export const sampleDossierSchema = z.object({
  code: shortText,
  procedureName: shortText,
  applicantName: shortText,
  applicantPhone: shortText.nullable().optional(),
  office: shortText,
  receivedAt: z.coerce.date(),
  dueAt: z.coerce.date(),
  status: dossierStatusSchema,
  history: z.array(z.object({ status: dossierStatusSchema, at: z.coerce.date(), note: z.string().nullable().optional() })),
});

export type ProcedureInput = z.infer<typeof procedureSchema>;
export type ChannelInput = z.infer<typeof channelSchema>;
export type ReformModelInput = z.infer<typeof reformModelSchema>;
export type FaqInput = z.infer<typeof faqSchema>;
export type OfficeInput = z.infer<typeof officeSchema>;
export type Button = z.infer<typeof buttonSchema>;
