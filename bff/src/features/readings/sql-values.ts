import { sql, type SQL } from 'drizzle-orm';

/** An int[] parameter (drizzle expands a JS array into a list, so arrays travel as one literal). */
export const intArray = (ids: readonly number[]): SQL =>
  sql`${`{${ids.map((n) => Math.trunc(n)).join(',')}}`}::int[]`;

/** A float8[] parameter. */
export const floatArray = (xs: readonly number[]): SQL => sql`${`{${xs.join(',')}}`}::float8[]`;

/** Rows as one jsonb parameter, read back with jsonb_to_recordset: one bind for any number of rows. */
export const jsonRows = (rows: unknown[]): SQL => sql`${JSON.stringify(rows)}::jsonb`;

/** Epoch milliseconds of a timestamptz column, exactly. */
export const epochMs = (col: SQL): SQL => sql`(extract(epoch from ${col}) * 1000)::bigint`;
