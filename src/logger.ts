import pino, { type Logger } from 'pino';

// JSON lines on stdout; secrets and tokens are redacted wherever they appear in a logged object.
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({
    level,
    base: undefined,
    redact: {
      paths: ['*.password', '*.passwordHash', '*.token', '*.accessToken', '*.refreshToken', '*.access_token',
        '*.refresh_token', '*.secret', '*.apiKey', 'req.headers.authorization', 'req.headers.cookie',
        'req.headers["x-api-key"]', 'headers.authorization', 'headers.cookie'],
      censor: '[redacted]',
    },
  }, destination);
}

export type { Logger };
