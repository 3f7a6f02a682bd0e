import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from './client';

/** Versioned SQL migrations in `bff/migrations/NNNN_name.sql`, applied in order, each once, each in a transaction. */
export const MIGRATIONS_DIR = path.resolve(__dirname, '../../../migrations');

export interface MigrationFile {
  version: string;
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const sql = fs.readFileSync(path.join(dir, file), 'utf8');
      return {
        version: file.slice(0, 4),
        name: file.replace(/\.sql$/, ''),
        sql,
        checksum: crypto.createHash('sha256').update(sql).digest('hex'),
      };
    });
}

// Any constant works; it only has to be the same for every instance of the BFF.
const MIGRATION_LOCK = 7_302_411;

/**
 * Applies pending migrations under a session advisory lock, so two instances starting together
 * never apply the same file twice. Refuses to run when an applied migration's file changed since
 * (change history by adding a migration, never by rewriting one).
 */
export async function migrate(database: Database, files = readMigrations()): Promise<string[]> {
  return database.withConnection(async (conn) => {
    await conn.query(`select pg_advisory_lock(${MIGRATION_LOCK})`);
    try {
      await conn.execScript(`
        create table if not exists schema_migrations (
          version text primary key,
          name text not null,
          checksum text not null,
          applied_at timestamptz not null default now()
        )`);
      const applied = new Map(
        (
          await conn.query<{ version: string; checksum: string }>(
            'select version, checksum from schema_migrations',
          )
        ).map((r) => [r.version, r.checksum]),
      );
      const done: string[] = [];
      for (const file of files) {
        const prior = applied.get(file.version);
        if (prior !== undefined) {
          if (prior !== file.checksum) {
            throw new Error(
              `migration ${file.name} changed after it was applied (checksum mismatch); add a new migration instead`,
            );
          }
          continue;
        }
        // version, name and checksum come from file names filtered above and a hex digest, never from users.
        const record = `insert into schema_migrations (version, name, checksum) values ('${file.version}', '${file.name}', '${file.checksum}');`;
        await conn.execScript(`begin;\n${file.sql}\n;\n${record}\ncommit;`);
        done.push(file.name);
      }
      return done;
    } finally {
      await conn.query(`select pg_advisory_unlock(${MIGRATION_LOCK})`);
    }
  });
}
