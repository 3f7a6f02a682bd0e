import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestApp } from '../../../test/support/app';
import { crashProbe } from '../../../test/support/platform/crash-feature';
import { openDatabase } from '../infra/db/client';
import type { DomainEvent } from './contract';

const child = path.resolve(__dirname, '../../../test/support/platform/crash-child.ts');

/** Runs the child to its SIGKILL; resolves with what it printed. */
function runChild(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', child, ...args],
      { env: { ...process.env, NODE_OPTIONS: '' }, timeout: 240_000 },
      (err, stdout) => {
        if (err && (err as { signal?: string }).signal !== 'SIGKILL') return reject(err);
        resolve(stdout);
      },
    );
  });
}

it('delivers an event committed by an instance killed (-9) before delivering it, from a fresh instance', async () => {
  const schema = `pgboss_t${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const uid = `crash-${crypto.randomUUID()}`;
  const pgliteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wd-crash-'));
  const pg = process.env.WD_TEST_DB !== 'pglite';
  const where = pg ? process.env.WD_TEST_DATABASE_URL! : pgliteDir;
  try {
    expect(await runChild([where, schema, uid])).toContain('committed');
    const seen: DomainEvent[] = [];
    const database = pg ? undefined : await openDatabase({ pgliteDir });
    const app = await startTestApp({
      env: { WD_JOBS_SCHEMA: schema },
      features: [crashProbe(seen)],
      ...(database ? { database } : {}),
    });
    try {
      await app.platform.settle(['crash-probe.status']);
      expect(seen.map((e) => (e.payload as { deviceUid: string }).deviceUid)).toEqual([uid]);
    } finally {
      await app.close();
      await database?.close();
    }
  } finally {
    fs.rmSync(pgliteDir, { recursive: true, force: true });
  }
}, 300_000);
