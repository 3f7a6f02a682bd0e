import { is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import * as schema from '../bff/src/infra/db/schema';
import { openTestDatabase } from './support/app';
import type { Database } from '../bff/src/infra/db/client';

// Every Drizzle table in bff/src/infra/db/schema.ts must match the migrated database: same columns,
// same types, same nullability. Catches a migration and a tables.ts that drifted apart (every feature's tables).
let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());

type DbColumn = {
  table_name: string;
  column_name: string;
  data_type: string;
  udt_name: string;
  is_nullable: string;
};

/** The information_schema spelling of a Drizzle SQL type. */
function normalise(drizzleType: string): string {
  const t = drizzleType.toLowerCase().replace(/\s+/g, ' ').trim();
  if (t.endsWith('[]')) return `array of ${normalise(t.slice(0, -2))}`;
  const base = t.replace(/\(.*\)/, '').trim();
  const map: Record<string, string> = {
    serial: 'integer',
    smallserial: 'smallint',
    bigserial: 'bigint',
    int: 'integer',
    varchar: 'character varying',
    char: 'character',
    timestamp: 'timestamp without time zone',
    'timestamp with time zone': 'timestamp with time zone',
    'timestamp without time zone': 'timestamp without time zone',
    time: 'time without time zone',
    decimal: 'numeric',
    float8: 'double precision',
    float4: 'real',
    bool: 'boolean',
  };
  return map[base] ?? base;
}

function dbType(c: DbColumn): string {
  if (c.data_type === 'ARRAY') {
    const elem = c.udt_name.replace(/^_/, '');
    const names: Record<string, string> = {
      text: 'text',
      int4: 'integer',
      int8: 'bigint',
      int2: 'smallint',
      float8: 'double precision',
      float4: 'real',
      numeric: 'numeric',
      bool: 'boolean',
      varchar: 'character varying',
      uuid: 'uuid',
      timestamptz: 'timestamp with time zone',
    };
    return `array of ${names[elem] ?? elem}`;
  }
  if (c.data_type === 'USER-DEFINED') return c.udt_name;
  return c.data_type;
}

describe('schema drift', () => {
  const tables = (Object.values(schema) as unknown[]).filter((t): t is PgTable => is(t, PgTable));

  it('finds the Drizzle tables to check', () => {
    expect(tables.map((t) => getTableConfig(t).name)).toEqual(
      expect.arrayContaining(['organizations', 'users', 'sessions', 'audit_log', 'wechat_identities']),
    );
  });

  it('has every Drizzle table in the migrated database with the same columns, types and nullability', async () => {
    const rows = await database.rows<DbColumn>(
      sql`select table_name, column_name, data_type, udt_name, is_nullable
          from information_schema.columns where table_schema = 'public'`,
    );
    const problems: string[] = [];
    for (const table of tables) {
      const cfg = getTableConfig(table);
      const inDb = new Map(rows.filter((r) => r.table_name === cfg.name).map((r) => [r.column_name, r]));
      if (!inDb.size) {
        problems.push(`${cfg.name}: no such table after migrations`);
        continue;
      }
      const declared = new Set(cfg.columns.map((c) => c.name));
      for (const name of inDb.keys())
        if (!declared.has(name))
          problems.push(`${cfg.name}.${name}: in the database, missing from tables.ts`);
      for (const col of cfg.columns) {
        const db = inDb.get(col.name);
        if (!db) {
          problems.push(`${cfg.name}.${col.name}: in tables.ts, missing from the database`);
          continue;
        }
        const want = normalise(col.getSQLType());
        if (want !== dbType(db))
          problems.push(`${cfg.name}.${col.name}: tables.ts ${want}, database ${dbType(db)}`);
        const nullable = db.is_nullable === 'YES';
        if (col.notNull === nullable)
          problems.push(
            `${cfg.name}.${col.name}: tables.ts ${col.notNull ? 'not null' : 'nullable'}, database ${nullable ? 'nullable' : 'not null'}`,
          );
      }
    }
    expect(problems).toEqual([]);
  });
});
