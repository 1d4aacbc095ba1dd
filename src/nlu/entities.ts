// Dossier codes as printed on receipts (giấy tiếp nhận và hẹn trả kết quả), e.g.
// "000.00.19.H12-231123-0001" (national one-stop system) and "H12.22-240115-0007" (provincial systems).
const DOSSIER_CODE = /(?<![\p{L}\p{N}.-])(?:\d{3}\.\d{2}\.\d{2}\.[a-z]\d{2}|[a-z]\d{2}(?:\.\d{2})?)-\d{6}-\d{3,6}(?![\p{L}\p{N}-])/giu;

export function extractDossierCode(raw: string): string | undefined {
  const match = raw.normalize('NFC').match(DOSSIER_CODE);
  return match ? match[0] : undefined;
}

/** The code as stored: upper case, no spaces. */
export function canonicalDossierCode(code: string): string {
  return code.trim().toUpperCase();
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
