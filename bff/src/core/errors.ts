import { errorKinds, type ErrorKind } from '@wattdesk/shared';

/** Details a 4xx may carry to name what was wrong. */
export interface ErrorDetails {
  /** Dotted path of the offending field, e.g. `Meter_Formula` or `readings.3.ts`. */
  field?: string;
  /** The rule that failed, in words a user can act on. */
  rule?: string;
  [extra: string]: unknown;
}

/**
 * The one typed error the boundary understands. `message` is for users (4xx) and is shown as is;
 * for 5xx the boundary replaces it with a generic text and logs the original.
 */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly kind: ErrorKind,
    message?: string,
    readonly details?: ErrorDetails,
  ) {
    super(message ?? errorKinds[kind].zh);
    this.name = 'AppError';
    this.status = errorKinds[kind].status;
  }

  /** Whether this error points at a bug or outage worth reporting (5xx), not a caller mistake. */
  get reportable(): boolean {
    return this.status >= 500;
  }
}

/** 400 naming the field and rule. */
export const invalid = (field: string, rule: string) =>
  new AppError('validation', `${field}: ${rule}`, { field, rule });
/** 404 for a record that does not exist in the caller's organization. */
export const notFound = (what: string) => new AppError('not_found', `${what}不存在`);
/** 403 naming the missing permission. */
export const forbidden = (permission: string) =>
  new AppError('forbidden', `用户权限不足：需要 ${permission} 权限`, { permission });

/** The fields of a PostgreSQL error that callers branch on. */
export interface PgErrorFields {
  code: string;
  constraint?: string;
  table?: string;
  message?: string;
}

/** The PostgreSQL error inside an error that Drizzle (or a driver) may have wrapped in `cause`. */
export function pgErrorOf(err: unknown): PgErrorFields | undefined {
  let e = err as (Partial<PgErrorFields> & { cause?: unknown }) | undefined;
  for (let depth = 0; e && depth < 5; depth++) {
    if (typeof e.code === 'string') return e as PgErrorFields;
    e = e.cause as typeof e;
  }
  return undefined;
}

/** Whether a database error is a unique-constraint violation (of one named constraint, when given). */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const pg = pgErrorOf(err);
  if (pg?.code !== '23505') return false;
  return !constraint || pg.constraint === constraint || Boolean(pg.message?.includes(constraint));
}
