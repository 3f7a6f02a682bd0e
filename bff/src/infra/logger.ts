import pino, { type Logger } from 'pino';

/** Paths redacted from every log line: credentials, tokens, secrets, session keys. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["idempotency-key"]',
  'headers.authorization',
  '*.password',
  '*.Usr_Password',
  '*.passwordHash',
  '*.token',
  '*.Usr_Token',
  '*.secret',
  '*.session_key',
  '*.sessionKey',
  '*.access_token',
  '*.encryptedData',
  '*.deviceSecret',
  'password',
  'token',
  'secret',
];

/** Structured JSON logs (pretty in a terminal during development). */
export function createLogger(level: string, pretty = false): Logger {
  return pino({
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { service: 'wattdesk-bff' },
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss' } } }
      : {}),
  });
}
export type { Logger };
