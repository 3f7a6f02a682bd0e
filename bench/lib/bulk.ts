import { openDatabase } from '../../bff/src/infra/db/client';
import { systemClock } from '../../bff/src/infra/clock';
import { buildMetering } from '../../bff/src/features/meters/wiring';
import { createLogger } from '../../bff/src/infra/logger';
import { OutboxEvents } from '../../bff/src/platform/events';
import { JobRunner } from '../../bff/src/platform/jobs';
import type { Sender } from './ingest';

/**
 * The bulk path for loading big benchmark sites: the BFF's own IngestService (same checks, same
 * rollups) called in this process on its own connection pool, without HTTP and JSON in between, with
 * every batch forced down its bulk path (COPY into staging + set-based merge).
 */
export async function openBulkSender(
  url: string,
  orgId: number,
  connections: number,
): Promise<{ send: Sender; close(): Promise<void> }> {
  const database = await openDatabase({ url, pgliteDir: 'memory://', poolSize: connections + 1 });
  // The bulk loader runs no consumers: its readings are written to the outbox, delivered to nobody.
  const log = createLogger('silent');
  const jobs = new JobRunner({ database, clock: systemClock, log, schema: 'pgboss', workers: false });
  const events = new OutboxEvents(database, jobs, systemClock, log, {
    scope: 'bench-bulk-loader', // no consumer reads this scope
    workers: false,
  });
  const { ingest } = buildMetering(database.db, systemClock, `/tmp/wd-bench-bulk-${process.pid}`, events);
  return {
    send: (readings) => ingest.ingest(orgId, readings, 'bulk', { path: 'bulk' }),
    close: () => database.close(),
  };
}
