import { sql } from 'drizzle-orm';
import type { Db } from '../../infra/db/client';
import { sqlRows, type DbOrTx } from '../../infra/db/rows';

/** A user of the organization with the addresses a notification can use. */
export interface UserContact {
  id: number;
  name: string;
  email: string;
  phone: string;
  /** The openid bound for the given mini-program, if any. */
  openid: string | null;
}

/** Read-only account facts for other features (`ctx.use('accounts').facts`), org-scoped, optionally in a transaction. */
export class AccountFacts {
  constructor(private readonly db: Db) {}

  /** The organization's users with their contact addresses and the WeChat openid bound for `appid`. */
  async contacts(orgId: number, appid: string, db: DbOrTx = this.db): Promise<UserContact[]> {
    const r = await sqlRows<UserContact>(
      db,
      sql`select u.id, u.name, u.email, u.phone,
            (select w.openid from wechat_identities w where w.user_id = u.id and w.appid = ${appid}
             order by w.bound_at desc limit 1) as openid
          from users u where u.org_id = ${orgId} order by u.id`,
    );
    return r.map((x) => ({ ...x, id: Number(x.id) }));
  }
}
