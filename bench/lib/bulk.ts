import { openDatabase } from '../../bff/src/infra/db/client';
import { systemClock } from '../../bff/src/infra/clock';
import { buildMetering } from '../../bff/src/features/meters/wiring';
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
  const { ingest } = buildMetering(database.db, systemClock, `/tmp/wd-bench-bulk-${process.pid}`);
  return {
    send: (readings) => ingest.ingest(orgId, readings, { path: 'bulk' }),
    close: () => database.close(),
  };
}
