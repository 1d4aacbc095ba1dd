import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { modelAnswer } from '../src/bot/answers.js';
import type { ReformModel } from '../src/generated/prisma/client.js';

// Editors' caveats on a reform model's source ("the directive does not describe it") stay in the console:
// the citizen's answer never carries them.

const models = JSON.parse(readFileSync(new URL('../prisma/seed/models.json', import.meta.url), 'utf8')) as Array<Partial<ReformModel>>;

describe('reform model answers', () => {
  const noted = models.filter((m) => m.sourceNote);

  it('never show the source note meant for editors', () => {
    expect(noted.length).toBeGreaterThan(3);
    for (const m of noted) {
      const row = { agencyChanged: false, agencyNow: null, year: null, isSample: true, verifiedAt: null, ...m } as ReformModel;
      const text = modelAnswer(row, null).text ?? '';
      expect(text, m.name).not.toContain(m.sourceNote!.trim().slice(0, 40));
      expect(text).toContain(m.summary!.slice(0, 40));
    }
  });
});
