/**
 * The kill -9 test's child: an instance that commits an event and dies (SIGKILL) before any worker
 * could deliver it. argv: database (postgres URL, or a PGlite folder), jobs schema, device uid.
 */
import { buildContainer } from '../../../bff/src/container';
import { openDatabase } from '../../../bff/src/infra/db/client';
import { migrate } from '../../../bff/src/infra/db/migrate';
import { createLogger } from '../../../bff/src/infra/logger';
import { testConfig } from '../app';
import { crashProbe } from './crash-feature';

async function main(): Promise<void> {
  const [where, schema, uid] = process.argv.slice(2) as [string, string, string];
  const database = where.startsWith('postgres')
    ? await openDatabase({ url: where, pgliteDir: 'memory://', poolSize: 2 })
    : await openDatabase({ pgliteDir: where });
  await migrate(database);
  const config = testConfig({ WD_JOBS_SCHEMA: schema, WD_JOB_WORKERS: 'true' });
  const container = await buildContainer(config, {
    database,
    log: createLogger('silent'),
    features: [crashProbe()],
  });
  // Workers are running: stop them first so nothing is delivered here, then commit and die.
  await container.platform.jobs.stop();
  await container.deps.db.transaction((tx) =>
    container.platform.events.emit(tx, 'device.status', null, {
      deviceId: 1,
      deviceUid: uid,
      online: true,
      ts: 1,
    }),
  );
  process.stdout.write('committed\n');
  process.kill(process.pid, 'SIGKILL');
}

void main();
