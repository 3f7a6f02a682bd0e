import type { SQL } from 'drizzle-orm';
import type { Db } from './client';

/** A database or an open transaction on it: read helpers take either, so they can run inside a caller's. */
export type DbOrTx = Db | Parameters<Parameters<Db['transaction']>[0]>[0];

/** The rows of a raw SQL query, on PostgreSQL and PGlite alike. */
export async function sqlRows<T>(db: DbOrTx, q: SQL): Promise<T[]> {
  return ((await db.execute(q)) as unknown as { rows: T[] }).rows;
}
