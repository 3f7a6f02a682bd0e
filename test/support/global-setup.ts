import { Client } from 'pg';
import { openDatabase } from '../../bff/src/infra/db/client';
import { migrate } from '../../bff/src/infra/db/migrate';

/** Creates one fresh, migrated PostgreSQL database for this run; workers isolate tests by organization. */
export default async function globalSetup(): Promise<void> {
  const admin = process.env.WD_TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `wd_test_${Date.now()}_${process.pid}`;
  const client = new Client({ connectionString: admin });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  process.env.WD_TEST_DATABASE_URL = url.toString();
  const db = await openDatabase({ url: url.toString(), pgliteDir: 'memory://', poolSize: 2 });
  await migrate(db);
  await db.close();
}
