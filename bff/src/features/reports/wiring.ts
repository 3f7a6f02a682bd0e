import type { Db } from '../../infra/db/client';
import type { Clock } from '../../infra/clock';
import type { AccountsService } from '../accounts/service';
import { ReportsRepository } from './repository';
import { ReportsService, type FormDetailSource } from './service';

/** Wires the reports service (3.4) over the database and the 3.5 query service. */
export function buildReports(
  db: Db,
  clock: Clock,
  accounts: AccountsService,
  energy: FormDetailSource,
): ReportsService {
  return new ReportsService({
    repo: new ReportsRepository(db),
    energy,
    clock,
    timeZoneOf: (orgId) => accounts.timeZoneOf(orgId),
  });
}
