import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

// The limits, sign-in, retention and metrics variables: sane defaults, and a bad value names itself.

describe('operations configuration', () => {
  it('has defaults', () => {
    expect(loadConfig({})).toMatchObject({
      LOGIN_LOCK_AFTER_FAILURES: 10, LOGIN_LOCK_MINUTES: 15, LOGIN_FAILURES_PER_ADDRESS_PER_HOUR: 100, RETENTION_DAYS: 30,
      MESSAGE_RETENTION_DAYS: 365, RETENTION_INTERVAL_MINUTES: 60, RETENTION_BATCH_SIZE: 1000, ACCESS_LOG: true,
    });
    expect(loadConfig({ METRICS_TOKEN: '' }).METRICS_TOKEN).toBeUndefined();
  });

  it.each([
    [{ LOGIN_LOCK_AFTER_FAILURES: '1' }, 'LOGIN_LOCK_AFTER_FAILURES'],
    [{ LOGIN_FAILURES_PER_ADDRESS_PER_HOUR: '5' }, 'LOGIN_FAILURES_PER_ADDRESS_PER_HOUR'],
    [{ RETENTION_DAYS: '0' }, 'RETENTION_DAYS'],
    [{ MESSAGE_RETENTION_DAYS: '-1' }, 'MESSAGE_RETENTION_DAYS'],
    [{ RETENTION_BATCH_SIZE: 'many' }, 'RETENTION_BATCH_SIZE'],
    [{ METRICS_TOKEN: 'short' }, 'METRICS_TOKEN'],
    [{ ACCESS_LOG: 'yes' }, 'ACCESS_LOG'],
  ])('stops on %o naming the variable', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`${name}:`));
  });
});
