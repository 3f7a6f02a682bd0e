import { z } from 'zod';

/**
 * Wire-level helpers for seed 002, whose document mixes `str` and `int` for the same field:
 * accept a number or a numeric string, hand the service a number.
 */
export const intLike = (name = 'value') =>
  z
    .union([
      z.number(),
      z
        .string()
        .trim()
        .regex(/^-?\d+$/, `${name} 必须是整数`),
    ])
    .transform((v) => Number(v))
    .pipe(z.number().int().safe());

/** A non-negative integer id given as a number or a numeric string. */
export const idLike = () => intLike('id').pipe(z.number().int().positive());

/** A decimal given as a number or a numeric string. */
export const numberLike = () =>
  z
    .union([
      z.number(),
      z
        .string()
        .trim()
        .regex(/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/, '必须是数字'),
    ])
    .transform((v) => Number(v))
    .pipe(z.number().finite());

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
