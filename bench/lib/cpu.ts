import fs from 'node:fs';
import { Client } from 'pg';

/** CPU seconds (user + system) a process has used, from /proc (clock ticks of 1/100 s). */
export function cpuSeconds(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0; // the process has gone
  }
}

/** CPU seconds used so far by every PostgreSQL backend connected to one database. */
export async function databaseCpuSeconds(adminUrl: string, database: string): Promise<number> {
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  try {
    const { rows } = await c.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [
      database,
    ]);
    return rows.reduce((s, r) => s + cpuSeconds(r.pid), 0);
  } finally {
    await c.end();
  }
}
