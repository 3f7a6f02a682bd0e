import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  const url = process.env.WD_TEST_DATABASE_URL;
  if (!url || process.env.WD_TEST_KEEP_DB) return;
  const name = new URL(url).pathname.slice(1);
  const client = new Client({
    connectionString: process.env.WD_TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  });
  await client.connect();
  await client.query(`drop database if exists ${name} with (force)`);
  await client.end();
}
