import { NATIONAL_SOURCE } from '../kb/national/to-procedure.js';
import { VERIFICATION_TEXTS as V, formatDate } from './texts.js';

// Whether a knowledge-base entry may be stated as fact: verified by an official or by its published source.
// Sample and unverified entries are answered with one line saying so, and their phone numbers, e-mails and
// links are never turned into buttons.

export interface Verifiable {
  isSample: boolean;
  verifiedAt: Date | null;
  verifiedBy?: string | null;
  source?: string | null;
  sourceDate?: Date | null;
}


export function isVerified(e: Verifiable): boolean {
  return !e.isSample && e.verifiedAt !== null && e.verifiedAt !== undefined;
}

/** One short line on where an answer comes from, or that it is not verified ('' when nothing needs saying). */
export function provenanceLine(e: Verifiable): string {
  if (e.isSample) return V.sample;
  if (!isVerified(e)) return V.unverified;
  if (e.verifiedBy === NATIONAL_SOURCE) return V.national(formatDate(e.sourceDate ?? e.verifiedAt!));
  return '';
}
