import { z } from 'zod';
import type { ReplyButton } from '../channels/types.js';

// JSON columns read back from the database go through these schemas instead of a cast. Reading is lenient where
// writing was strict (the console validates with src/kb/schemas.ts): an entry that does not fit is skipped, so
// one bad row never breaks an answer.

const formFile = z.object({ name: z.string().min(1), url: z.string().min(1) });
const replyButton = z.object({ title: z.string().min(1), payload: z.string().optional(), url: z.string().optional(), phone: z.string().optional() });

/** The items of a JSON array column that fit `item`; anything else (null, an object, a bad item) is left out. */
function readList<T>(item: z.ZodType<T>, value: unknown): T[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((v) => {
    const parsed = item.safeParse(v);
    return parsed.success ? [parsed.data] : [];
  });
}

/** `Procedure.forms`: the form files of a procedure. */
export const procedureForms = (p: { forms: unknown }): Array<{ name: string; url: string }> => readList(formFile, p.forms);

/** `Faq.buttons`: the buttons officials attached to an answer. */
export const faqButtons = (f: { buttons: unknown }): ReplyButton[] => readList(replyButton, f.buttons);
