import { sql } from 'drizzle-orm';
import type { Db } from '../../infra/db/client';
import { sqlRows, type DbOrTx } from '../../infra/db/rows';

/** A device as other features name it. */
export interface DeviceLabel {
  uid: string;
  name: string;
  kind: string;
}

/** Read-only device facts for other features (`ctx.use('devices').facts`), org-scoped, optionally in a transaction. */
export class DeviceFacts {
  constructor(private readonly db: Db) {}

  async label(orgId: number, uid: string, db: DbOrTx = this.db): Promise<DeviceLabel | null> {
    const [r] = await sqlRows<{ device_uid: string; name: string; kind: string }>(
      db,
      sql`select device_uid, name, kind from devices where org_id = ${orgId} and device_uid = ${uid}`,
    );
    return r ? { uid: r.device_uid, name: r.name, kind: r.kind } : null;
  }
}
