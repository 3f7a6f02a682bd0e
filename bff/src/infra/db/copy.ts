import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFromStdin } from 'pg-copy-streams';
import type { Db } from './client';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** What Drizzle keeps as the session's driver client: a pg PoolClient or a PGlite transaction. */
interface PgLike {
  query(q: unknown, ...rest: unknown[]): unknown;
  /** Only a PGlite transaction has it. */
  rollback?: unknown;
}
interface PgliteTxLike {
  query(q: string, params: unknown[], opts: { blob: Blob }): Promise<{ affectedRows?: number }>;
}

/**
 * `COPY table (columns) FROM ...` of COPY text inside a Drizzle transaction, on whichever driver the
 * transaction runs: PostgreSQL through `pg-copy-streams` (COPY FROM STDIN on the transaction's own
 * connection), PGlite through its `COPY ... FROM '/dev/blob'` support. `table` and `columns` are
 * identifiers written by our code, never user text.
 */
export async function copyInto(tx: Tx, table: string, columns: string[], text: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(table) || !columns.every((c) => /^[a-z_][a-z0-9_]*$/.test(c)))
    throw new Error(`copyInto: bad identifier in ${table}(${columns.join(',')})`);
  if (!text) return;
  const statement = `copy ${table} (${columns.join(', ')}) from`;
  // Drizzle's transaction object keeps its driver client on `session.client` (both drivers).
  const client = (tx as unknown as { session?: { client?: PgLike } }).session?.client;
  if (!client) throw new Error('copyInto: no driver client on this transaction');
  if (typeof client.rollback === 'function') {
    await (client as unknown as PgliteTxLike).query(`${statement} '/dev/blob'`, [], {
      blob: new Blob([text]),
    });
  } else {
    const stream = client.query(copyFromStdin(`${statement} stdin`)) as NodeJS.WritableStream;
    await pipeline(Readable.from([Buffer.from(text, 'utf8')]), stream);
  }
}
