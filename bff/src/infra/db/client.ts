import fs from 'node:fs';
import path from 'node:path';
import { Pool, type PoolClient } from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql, type SQL } from 'drizzle-orm';
import * as schema from './schema';

/** The Drizzle database; the same type for PostgreSQL and PGlite. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** A database handle: Drizzle, a raw multi-statement runner for migrations, and close. */
export interface Database {
  readonly kind: 'postgres' | 'pglite';
  readonly db: Db;
  /** Runs a script of several statements (migrations); rolls back an open transaction on failure. */
  execScript(script: string): Promise<void>;
  /** Runs `fn` on one dedicated connection (session-level locks, migrations). */
  withConnection<T>(
    fn: (conn: Pick<Database, 'execScript'> & { query<R>(text: string): Promise<R[]> }) => Promise<T>,
  ): Promise<T>;
  /** Runs a parameterised query and returns its rows. */
  rows<T = Record<string, unknown>>(query: SQL): Promise<T[]>;
  /**
   * Raw SQL for libraries that bring their own (the job queue): `$n` parameters when `values` are
   * given, otherwise a script of one or more statements (the last statement's rows are returned).
   */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: any[] }>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  url?: string;
  /** Folder for PGlite when no URL is given; `memory://` for an in-memory database. */
  pgliteDir: string;
  poolSize?: number;
}

/** Opens PostgreSQL when a URL is given, otherwise PGlite in a data folder. */
export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.url) {
    const pool = new Pool({ connectionString: opts.url, max: opts.poolSize ?? 10 });
    pool.on('error', () => undefined); // idle client errors surface on the next query
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    await pool.query('select 1');
    return {
      kind: 'postgres',
      db,
      execScript: async (script) => {
        await withPgClient(pool, (c) => runScript(c, script));
      },
      withConnection: (fn) =>
        withPgClient(pool, (c) =>
          fn({
            execScript: (script) => runScript(c, script),
            query: async <R>(text: string) => (await c.query(text)).rows as R[],
          }),
        ),
      rows: async <T>(query: SQL) => ((await db.execute(query)) as unknown as { rows: T[] }).rows,
      executeSql: async (text, values) => lastResult(await pool.query(text, values)),
      close: () => pool.end(),
    };
  }
  const dir = opts.pgliteDir;
  if (!dir.startsWith('memory://')) {
    fs.mkdirSync(path.resolve(dir), { recursive: true });
    claimPgliteDir(path.resolve(dir));
  }
  const client = await PGlite.create(dir.startsWith('memory://') ? undefined : path.resolve(dir));
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    execScript: (script) => runScript(client, script),
    withConnection: (fn) =>
      fn({
        execScript: (script) => runScript(client, script),
        query: async <R>(text: string) => (await client.query(text)).rows as R[],
      }),
    rows: async <T>(query: SQL) => ((await db.execute(query)) as unknown as { rows: T[] }).rows,
    // PGlite's query() takes one statement with parameters; exec() a script without them.
    executeSql: async (text, values) =>
      values?.length ? client.query(text, values) : lastResult(await client.exec(text)),
    close: () => client.close(),
  };
}

/** A multi-statement script answers one result per statement; callers want the last one's rows. */
function lastResult(res: { rows: any[] } | { rows: any[] }[]): { rows: any[] } {
  return Array.isArray(res) ? (res[res.length - 1] ?? { rows: [] }) : res;
}

async function withPgClient<T>(pool: Pool, fn: (c: PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    return await fn(c);
  } finally {
    c.release();
  }
}

async function runScript(
  c: { query(text: string): Promise<unknown>; exec?(text: string): Promise<unknown> },
  script: string,
): Promise<void> {
  try {
    await (c.exec ? c.exec(script) : c.query(script));
  } catch (err) {
    await (c.exec ? c.exec('rollback') : c.query('rollback')).catch(() => undefined);
    throw err;
  }
}

export { sql };

/**
 * One process per PGlite folder, and a folder whose process died (kill -9, power loss) opens again.
 * PGlite (0.3) writes a `postmaster.pid` holding its WASM postgres's fake pid -42 and refuses to open a
 * folder that has one (electric-sql/pglite#794), so after a crash the embedded default would never start
 * again. Our own lock file records the real pid: if that process is alive the folder is in use and we stop
 * with a clear message; if not, the stale `postmaster.pid` is removed before opening.
 */
function claimPgliteDir(dir: string): void {
  const lock = path.join(dir, 'wattdesk.pid');
  const owner = fs.existsSync(lock) ? Number(fs.readFileSync(lock, 'utf8').trim()) : NaN;
  if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner))
    throw new Error(`PGlite 数据目录 ${dir} 正被进程 ${owner} 使用（同一目录只能由一个进程打开）`);
  const pid = path.join(dir, 'postmaster.pid');
  if (fs.existsSync(pid) && fs.readFileSync(pid, 'utf8').startsWith('-42')) fs.rmSync(pid);
  fs.writeFileSync(lock, String(process.pid));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
