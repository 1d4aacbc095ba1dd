import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, configSchema, loadConfig } from '../src/config.js';

const ROOT = path.resolve(import.meta.dirname, '..');

describe('configuration', () => {
  it('documents every variable in .env.example', () => {
    const text = readFileSync(path.join(ROOT, '.env.example'), 'utf8');
    for (const key of Object.keys(configSchema.shape)) expect(text, key).toMatch(new RegExp(`^#? ?${key}=`, 'm'));
  });

  it('starts with no variables at all, channels disabled', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.DATABASE_URL).toBe('file:./data/db');
    expect(c.ZALO_APP_ID).toBeUndefined();
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://localhost/db' }, 'DATABASE_URL'],
    [{ ZALO_API_BASE_URL: 'not a url' }, 'ZALO_API_BASE_URL'],
    [{ LOOKUP_LIMIT_PER_10_MIN: '0' }, 'LOOKUP_LIMIT_PER_10_MIN'],
    [{ LOGIN_LOCK_AFTER_FAILURES: '1' }, 'LOGIN_LOCK_AFTER_FAILURES'],
    [{ LOGIN_FAILURES_PER_ADDRESS_PER_HOUR: '5' }, 'LOGIN_FAILURES_PER_ADDRESS_PER_HOUR'],
    [{ RETENTION_DAYS: '0' }, 'RETENTION_DAYS'],
    [{ MESSAGE_RETENTION_DAYS: '-1' }, 'MESSAGE_RETENTION_DAYS'],
    [{ RETENTION_BATCH_SIZE: 'many' }, 'RETENTION_BATCH_SIZE'],
    [{ METRICS_TOKEN: 'short' }, 'METRICS_TOKEN'],
    [{ ACCESS_LOG: 'yes' }, 'ACCESS_LOG'],
  ])('names the bad variable %o', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`${name}:`));
  });

  it('stops the process with a message naming a bad DATABASE_URL', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT, env: { ...process.env, DATABASE_URL: 'mysql://nowhere', PORT: '0' }, encoding: 'utf8', timeout: 60_000,
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr + r.stdout).toMatch(/DATABASE_URL/);
  });
});
