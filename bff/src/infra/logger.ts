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

/**
 * Error serializer: a failed SQL statement is logged without its parameters, ever. Drizzle puts them in
 * `params` and in the message ("Failed query: … params: …"); PostgreSQL puts row values in `detail`
 * ("Failing row contains (…)", "Key (email)=(…) already exists") and `where`. Those are dropped along the
 * whole `cause` chain; the statement text (with `$1` placeholders), SQLSTATE code, constraint, table and
 * column stay, which is what a developer needs.
 */
const DB_VALUE_FIELDS = ['params', 'parameters', 'detail', 'where', 'internalQuery'];
export function scrubError(err: unknown, depth = 0): unknown {
  if (!(err instanceof Error) || depth > 5) return err;
  const e = err as Error & Record<string, unknown>;
  const isQueryError = 'params' in e && typeof e.query === 'string';
  const message = isQueryError ? `Failed query: ${e.query}` : e.message;
  const out: Record<string, unknown> = { type: e.constructor?.name ?? e.name, message };
  out.stack = typeof e.stack === 'string' ? e.stack.split(e.message).join(message) : undefined;
  for (const [k, v] of Object.entries(e)) {
    if (k === 'cause' || k === 'message' || k === 'stack' || DB_VALUE_FIELDS.includes(k)) continue;
    out[k] = v;
  }
  if (e.cause !== undefined) out.cause = scrubError(e.cause, depth + 1);
  return out;
}

/** Structured JSON logs (pretty in a terminal during development). */
export function createLogger(level: string, pretty = false, destination?: pino.DestinationStream): Logger {
  const options = {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { err: scrubError, error: scrubError, cause: scrubError },
    base: { service: 'wattdesk-bff' },
    ...(pretty && !destination
      ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss' } } }
      : {}),
  };
  // `destination` lets tests read every line the app writes.
  return destination ? pino(options, destination) : pino(options);
}
export type { Logger };
