// Dossier codes as one-stop systems print them on receipts (giấy tiếp nhận và hẹn trả kết quả):
// `<unit code>-YYMMDD-NNNN`, the unit code having two to four dot-separated parts, one of them a letter and two or
// three digits: "000.00.19.H12-231123-0001" (national), "38.98.H29-210519-0013" (HCMC), "H12.22-240115-0007".
// Citizens copy them with spaces around the separators, en or em dashes, underscores, dots or spaces for every
// separator, hyphens for the unit code's dots, in lower case, or without the separator between date and number, or
// the national unit code run together ("0000014H26-250903-0087" for 000.00.14.H26, "00000 25 H31" for 000.00.25.H31,
// or the whole code with nothing between its parts); the code is returned in its printed form.
const PART = String.raw`[a-z0-9]{1,4}`;
/** Parts typed with spaces only ("000 00 19 H12"): numbers, one of them after a letter, never words ("ma so H12"). */
const SPACED = String.raw`[a-z]?\d{1,3}`;
/**
 * The national unit code with some of its dots missing: run together ("0000014H26"), or its first two parts typed as
 * one ("00000.25.H31" once spaces are dots): three, two and two digits, then the system's letter and digits.
 */
const NATIONAL = /^(\d{3})\.?(\d{2})\.?(\d{2})\.?([a-z]\d{2,3})$/i;
/** ...or with hyphens for dots ("000-00-14-H62-250922-0007"): three or four parts, so a date or a phone number is none. */
const HYPHENED = String.raw`${PART}(?:-${PART}){2,3}`;
/**
 * A unit code as typed: dotted (spaces around the dots allowed), hyphened, spaced, the national one with its first two
 * parts typed as one ("00000 25 H31") or dots, then a space ("000.00.30 H27"), or run together.
 */
const UNIT = String.raw`${PART}(?:\s?\.\s?${PART}){1,3}|${HYPHENED}|${SPACED}(?:\s${SPACED}){1,3}|\d{5}\s\d{2}\s[a-z]\d{2,3}|${PART}(?:\.${PART}){1,2}\s[a-z]\d{2,3}|\d{7}[a-z]\d{2,3}`;
const SEP = String.raw`\s*[-–—_.]\s*|\s+`;
const DOSSIER_CODE = new RegExp(String.raw`(?<![\p{L}\p{N}.])(${UNIT})(?:${SEP})(\d{6})(?:(?:${SEP})(\d{3,6})|(\d{4}))(?![\p{L}\p{N}])`, 'giu');
/** Unit codes contain a segment like H12 or G01 (the issuing system): plain numbers are not dossier codes. */
const UNIT_MARK = /(?:^|\.)[a-z]\d{2,3}(?:\.|$)/i;
/** A national code with nothing between its parts ("0000006H312506190051"): the system's letter and two digits only. */
const ALL_TOGETHER = /(?<![\p{L}\p{N}])(\d{3})(\d{2})(\d{2})([a-z]\d{2})(\d{6})(\d{4})(?![\p{L}\p{N}])/iu;

export function extractDossierCode(raw: string): string | undefined {
  const text = raw.normalize('NFC');
  for (const m of text.matchAll(DOSSIER_CODE)) {
    const unit = m[1].replace(/\s*\.\s*|-|\s+/g, '.').replace(NATIONAL, '$1.$2.$3.$4');
    if (!UNIT_MARK.test(unit)) continue;
    return `${unit.toUpperCase()}-${m[2]}-${m[3] ?? m[4]}`;
  }
  const m = ALL_TOGETHER.exec(text);
  return m ? `${m[1]}.${m[2]}.${m[3]}.${m[4].toUpperCase()}-${m[5]}-${m[6]}` : undefined;
}

/** The code as stored: upper case, no spaces, hyphens between its three parts. */
export function canonicalDossierCode(code: string): string {
  return extractDossierCode(code) ?? code.trim().toUpperCase();
}

/** Finds `needle` as a contiguous run in `tokens`; returns its start or -1. */
export function findRun(tokens: string[], needle: string[]): number {
  if (needle.length === 0) return -1;
  outer: for (let i = 0; i + needle.length <= tokens.length; i++) {
    for (let j = 0; j < needle.length; j++) if (tokens[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
