import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

// The limits, sign-in, retention and metrics variables have sane defaults (bad values: test/config.test.ts).

describe('operations configuration', () => {
  it('has defaults', () => {
    expect(loadConfig({})).toMatchObject({
      LOGIN_LOCK_AFTER_FAILURES: 10, LOGIN_LOCK_MINUTES: 15, LOGIN_FAILURES_PER_ADDRESS_PER_HOUR: 100, RETENTION_DAYS: 30,
      MESSAGE_RETENTION_DAYS: 365, RETENTION_INTERVAL_MINUTES: 60, RETENTION_BATCH_SIZE: 1000, ACCESS_LOG: true,
    });
    expect(loadConfig({ METRICS_TOKEN: '' }).METRICS_TOKEN).toBeUndefined();
  });
});
