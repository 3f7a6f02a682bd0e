import path from 'node:path';
import type { Db } from '../../infra/db/client';
import type { Clock } from '../../infra/clock';
import { ImageStore } from '../../core/images';
import type { Events } from '../../platform/contract';
import { CalendarRepository } from '../calendar/repository';
import { CalendarService } from '../calendar/service';
import { EnergyRepository } from '../energy/repository';
import { EnergyService } from '../energy/service';
import { MachinesService } from '../machines/service';
import { IngestService } from '../readings/ingest';
import { ManualDataService } from '../readings/manual';
import { ReadingPartitions } from '../readings/partitions';
import { ReadingsRepository } from '../readings/repository';
import { RatesService } from '../tariffs/service';
import { MetersRepository } from './repository';
import { MetersService } from './service';
import { MeterFacts } from './facts';

/** The metering services (issue 3), as they appear on AppDeps. */
export interface MeteringDeps {
  /** Machines 2.5–2.9: `create(orgId, { name, department, equipmentCode, equipmentUnitCode })`. */
  machines: MachinesService;
  /** Meters 2.1–2.4: `create(orgId, MeterCommand)`, `update`, `remove`. */
  meters: MetersService;
  /** Readings: `ingest(orgId, readings, source)` for HTTP, MQTT and demo data (see IngestService). */
  ingest: IngestService;
  /** Hand-filled amounts 5.6: `record(orgId, { meterId, dateTime, dateType, amount })`. */
  manualData: ManualDataService;
  /** Energy queries 3.1/3.2/3.3/3.5 returning the API's rows. */
  energy: EnergyService;
  /** Rates 4.1/4.2. */
  rates: RatesService;
  /** Business calendar 4.3/4.4, time zone and shifts. */
  calendar: CalendarService;
  /** Read-only facts for other features (meter labels, an hour's consumption), optionally in their transaction. */
  facts: MeterFacts;
}

/** Wires the metering services over one database. */
export function buildMetering(db: Db, clock: Clock, dataDir: string, events: Events): MeteringDeps {
  const calendar = new CalendarService(db, new CalendarRepository(db), clock);
  const readingsRepo = new ReadingsRepository(db);
  const ingest = new IngestService(db, readingsRepo, new ReadingPartitions(db), calendar, clock, events);
  const metersRepo = new MetersRepository(db);
  return {
    machines: new MachinesService(metersRepo, new ImageStore(path.resolve(dataDir), 'machine-images')),
    meters: new MetersService(metersRepo, ingest, readingsRepo, calendar, clock),
    ingest,
    manualData: new ManualDataService(db, readingsRepo, calendar, events, clock),
    energy: new EnergyService(db, new EnergyRepository(db), metersRepo, calendar),
    rates: new RatesService(db, readingsRepo),
    calendar,
    facts: new MeterFacts(db),
  };
}
