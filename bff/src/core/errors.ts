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

/** Whether a database error (possibly wrapped by Drizzle in `cause`) is a unique-constraint violation. */
export function isUniqueViolation(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (e.code === '23505') return true;
    e = e.cause as typeof e;
  }
  return false;
}
