import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadEnvFile } from '../src/config.js';

// `.env` is read when present, as .env.example says; a variable already in the environment keeps its value.

const dir = mkdtempSync(path.join(tmpdir(), 'cchc-env-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  delete process.env.CCHC_TEST_FROM_FILE;
  delete process.env.CCHC_TEST_BOTH;
});

describe('.env', () => {
  it('fills variables the environment does not set, and never overrides one it does', () => {
    const file = path.join(dir, '.env');
    writeFileSync(file, '# comment\nCCHC_TEST_FROM_FILE="Ủy ban nhân dân"\nCCHC_TEST_BOTH=from-file\n');
    process.env.CCHC_TEST_BOTH = 'from-environment';
    loadEnvFile(file);
    expect(process.env.CCHC_TEST_FROM_FILE).toBe('Ủy ban nhân dân');
    expect(process.env.CCHC_TEST_BOTH).toBe('from-environment');
  });

  it('is optional', () => {
    expect(() => loadEnvFile(path.join(dir, 'missing.env'))).not.toThrow();
  });
});
