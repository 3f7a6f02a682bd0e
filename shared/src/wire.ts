import { z } from 'zod';

/** PostgreSQL's `integer`: every id and integer column. A value outside it is refused with 400, never sent. */
export const PG_INT_MIN = -2147483648;
export const PG_INT_MAX = 2147483647;
/**
 * Largest magnitude of a decimal field (readings, amounts, prices, device settings): far above any meter
 * or price, far below where double-precision arithmetic in sums and costs could overflow.
 */
export const MAX_MAGNITUDE = 1e15;
/** Smallest non-zero magnitude of a decimal field: smaller values (denormals such as 1e-320) underflow in products. */
export const MIN_MAGNITUDE = 1e-9;

/** The rule of a decimal value's magnitude, or null when it is fine. */
export function magnitudeProblem(n: number): string | null {
  if (!Number.isFinite(n)) return '必须是有限的数字';
  const a = Math.abs(n);
  if (a > MAX_MAGNITUDE) return `绝对值不能超过 ${MAX_MAGNITUDE}`;
  if (a !== 0 && a < MIN_MAGNITUDE) return `非零值的绝对值不能小于 ${MIN_MAGNITUDE}`;
  return null;
}

/**
 * Wire-level helpers for seed 002, whose document mixes `str` and `int` for the same field:
 * accept a number or a numeric string, hand the service a number. Integers stay inside PostgreSQL's
 * `integer` range (−2147483648 … 2147483647).
 */
export const intLike = (name = 'value') =>
  z
    .union([
      z.number({ error: `${name} 必须是整数` }),
      z
        .string({ error: `${name} 必须是整数` })
        .trim()
        .regex(/^-?\d{1,10}$/, `${name} 必须是 ${PG_INT_MIN} 到 ${PG_INT_MAX} 之间的整数`),
    ])
    .transform((v) => Number(v))
    .pipe(
      z
        .number()
        .int(`${name} 必须是整数`)
        .min(PG_INT_MIN, `${name} 必须是 ${PG_INT_MIN} 到 ${PG_INT_MAX} 之间的整数`)
        .max(PG_INT_MAX, `${name} 必须是 ${PG_INT_MIN} 到 ${PG_INT_MAX} 之间的整数`),
    );

/** A positive integer id (1 … 2147483647) given as a number or a numeric string. */
export const idLike = (name = 'id') =>
  intLike(name).pipe(z.number().int().positive(`${name} 必须是 1 到 ${PG_INT_MAX} 之间的整数`));

/** A JSON number that is an id (1 … 2147483647). */
export const idNumber = (name = 'id') =>
  z
    .number({ error: `${name} 必须是整数` })
    .int(`${name} 必须是整数`)
    .min(1, `${name} 必须是 1 到 ${PG_INT_MAX} 之间的整数`)
    .max(PG_INT_MAX, `${name} 必须是 1 到 ${PG_INT_MAX} 之间的整数`);

/** A decimal given as a number or a numeric string, finite and of a storable magnitude (see MAX/MIN_MAGNITUDE). */
export const numberLike = () =>
  z
    .union([
      z.number({ error: '必须是数字' }),
      z
        .string({ error: '必须是数字' })
        .trim()
        .regex(/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/, '必须是数字'),
    ])
    .transform((v) => Number(v))
    .pipe(
      z.number().superRefine((n, ctx) => {
        const problem = magnitudeProblem(n);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    );

/** A `"0"`/`"1"` flag (the document's string flags); numbers 0/1 accepted too. */
export const flag01 = () =>
  z
    .union([z.literal('0'), z.literal('1'), z.literal(0), z.literal(1)])
    .transform((v) => String(v) as '0' | '1');

/** Paging per 附录Ⅰ / §6–§8: pages 0 and 1 are both the first page. */
export const paging = {
  Per_Page_Counts: intLike('Per_Page_Counts').pipe(z.number().int().min(1).max(1000)).optional(),
  Page_Counts: intLike('Page_Counts').pipe(z.number().int().min(0)).optional(),
};

/** `"YYYY-MM-DD HH:mm:ss"` local time as the seed writes it. */
export const localDateTime = () =>
  z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, '时间格式必须为 "YYYY-MM-DD HH:mm:ss"');
