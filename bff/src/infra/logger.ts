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
export function createLogger(level: string, pretty = false, destination?: pino.DestinationStream): Logger {
  const options = {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { service: 'wattdesk-bff' },
    ...(pretty && !destination
      ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss' } } }
      : {}),
  };
  // `destination` lets tests read every line the app writes.
  return destination ? pino(options, destination) : pino(options);
}
export type { Logger };
