import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from './client';

jest.setTimeout(120_000);

const root = path.resolve(__dirname, '../../../..');

/** A process that opens the PGlite folder through openDatabase, writes a row and then waits to be killed. */
function holder(dir: string) {
  const script = `
    const { openDatabase } = require('./bff/src/infra/db/client.ts');
    (async () => {
      const db = await openDatabase({ pgliteDir: ${JSON.stringify(dir)} });
      await db.executeSql('create table if not exists kept (n int)');
      await db.executeSql('insert into kept values (1)');
      process.stdout.write('open\\n');
      setInterval(() => {}, 1000);
    })();
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const opened = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (b: Buffer) => b.toString().includes('open') && resolve());
    child.once('exit', (code) => reject(new Error(`holder exited with ${code} before opening`)));
  });
  return { child, opened, exited };
}

describe('the embedded PGlite folder', () => {
  it('is refused while another process holds it, and opens with its data after that process is killed -9', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wd-pglite-crash-'));
    try {
      const h = holder(dir);
      await h.opened;
      await expect(openDatabase({ pgliteDir: dir })).rejects.toThrow(/正被进程/);
      h.child.kill('SIGKILL');
      await h.exited;
      // What the crash left: PGlite's own lock (its fake pid -42), which alone would make the open abort.
      expect(fs.readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').startsWith('-42')).toBe(true);
      const db = await openDatabase({ pgliteDir: dir });
      try {
        expect((await db.executeSql('select count(*)::int as n from kept')).rows[0].n).toBe(1);
      } finally {
        await db.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
