// Levels of government a national record is carried out at ("Cấp bộ, Cấp tỉnh"), and the importer's choice.

export const LEVEL_KEYS = ['bo', 'tinh', 'xa'] as const;
export type LevelKey = (typeof LEVEL_KEYS)[number];
/** Default: what a province or commune answers for. */
export const DEFAULT_LEVELS: readonly LevelKey[] = ['tinh', 'xa'];

const LABELS: Record<string, LevelKey> = { 'cấp bộ': 'bo', 'cấp tỉnh': 'tinh', 'cấp xã': 'xa', 'cơ quan khác': 'xa' };

/** "Cấp bộ, Cấp tỉnh" -> ['bo', 'tinh']; "Cơ quan khác" counts as commune level. */
export function levelsOf(capThucHien: string): LevelKey[] {
  const keys = capThucHien.split(',').map((s) => LABELS[s.trim().toLowerCase()]).filter((k): k is LevelKey => Boolean(k));
  return [...new Set(keys)];
}

/** "xa,tinh" | "all" -> the selected levels; undefined when a word is not a level. */
export function parseLevels(arg: string): LevelKey[] | undefined {
  if (arg.trim().toLowerCase() === 'all') return [...LEVEL_KEYS];
  const words = arg.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (!words.length || words.some((w) => !(LEVEL_KEYS as readonly string[]).includes(w))) return undefined;
  return [...new Set(words as LevelKey[])];
}

/** Kept when any of its levels is selected; every record when all are. */
export function isSelected(capThucHien: string, selected: readonly LevelKey[]): boolean {
  return LEVEL_KEYS.every((k) => selected.includes(k)) || levelsOf(capThucHien).some((k) => selected.includes(k));
}
