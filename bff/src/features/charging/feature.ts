import { and, eq, sql } from 'drizzle-orm';
import {
  DEMO_CALLBACK_PATHS,
  DEMO_OPERATOR_ID,
  DEMO_OPERATOR_SECRET,
  FakeChargingOperator,
} from '../../fakes/charging-operator/simulator';
import { FakeOperatorReceiver } from '../../fakes/charging-operator/receiver';
import { defineFeature, type JobDefinition } from '../../platform/contract';
import { AssetsRepository } from './assets-repository';
import { AssetsService } from './assets-service';
import { ChargingEnergyMeters } from './energy-meter';
import './events';
import { ManagerRepository } from './manager-repository';
import { managerRoutes } from './manager-routes';
import { ManagerService } from './manager-service';
import { OperatorAuth } from './operator-auth';
import { operatorRoutes } from './operator-routes';
import { OperatorsService } from './operators-service';
import { RecordsRepository } from './records-repository';
import { RecordsService } from './records-service';
import { SecretBox } from '../../infra/secret-box';
import { StatusRepository } from './status-repository';
import { StatusService } from './status-service';
import { chargingCells, chargingEquipment, chargingOperators, chargingStations } from './tables';

/** What other features may use of charging (ctx.use('charging')). */
export interface ChargingApi {
  /** Seed 004 operator authentication (for routes of other features serving operators). */
  auth: OperatorAuth;
  /** Read-only lookups (charging-callbacks: signing the platform's calls, the managers' requests). */
  facts: ChargingFacts;
}

/** Read-only, org-scoped where an organization asks. */
export interface ChargingFacts {
  /** An operator's OperatorId and unsealed secret (to sign platform → operator calls), or null. */
  signingKey(operatorPk: number): Promise<{ orgId: number; operatorId: string; secret: string } | null>;
  /** The organization's operator with this OperatorId, or null (another organization's too). */
  operatorOf(
    orgId: number,
    operatorId: string,
  ): Promise<{ operatorPk: number; orgId: number; operatorId: string } | null>;
  /** A cell of the organization by its operator's OperatorId and its cellId, or null. */
  cellOf(
    orgId: number,
    operatorId: string,
    cellId: string,
  ): Promise<{
    operatorPk: number;
    operatorId: string;
    stationId: string;
    equipmentId: string;
    cellId: string;
  } | null>;
}

declare module '../../platform/contract' {
  interface FeatureApis {
    charging: ChargingApi;
  }
}

export const JOB_DEMO_OPERATOR = 'charging.demo-operator';

/**
 * The charging platform of seed 004: operators (桩企) and their signed API (stations, equipment, cells,
 * real-time status, charging records, pay state), and the managers' views. Emits `charging.cell.status`
 * and `charging.record.submitted` in the data's transaction; consumes `payments.bill.changed`.
 */
export const chargingFeature = defineFeature('charging', (ctx) => {
  const { db, clock, config } = ctx;
  const metering = ctx.use('metering');
  const box = SecretBox.fromConfig(config);
  const skewMs = config.CHARGING_CLOCK_SKEW_SEC * 1000;
  const auth = new OperatorAuth(db, clock, box, {
    tokenTtlSec: config.CHARGING_TOKEN_TTL_SEC,
    clockSkewSec: config.CHARGING_CLOCK_SKEW_SEC,
    timeZone: config.DEFAULT_TIME_ZONE,
  });
  // The organization's time zone, cached for a minute (status reports are frequent; zones change rarely).
  const zones = new Map<number, { tz: string; until: number }>();
  const tzOf = async (orgId: number) => {
    const now = clock.now().getTime();
    const hit = zones.get(orgId);
    if (hit && hit.until > now) return hit.tz;
    const { tz } = await metering.calendar.rule(orgId);
    zones.set(orgId, { tz, until: now + 60_000 });
    return tz;
  };
  const statusRepo = new StatusRepository(db);
  const assets = new AssetsService(new AssetsRepository(db), clock);
  const status = new StatusService(
    db,
    statusRepo,
    ctx.events,
    clock,
    tzOf,
    skewMs,
    config.CHARGING_MAX_TEMPERATURE_C,
  );
  const records = new RecordsService(
    db,
    new RecordsRepository(db),
    statusRepo,
    ctx.events,
    clock,
    tzOf,
    skewMs,
  );
  const operators = new OperatorsService(db, box, clock, tzOf, () => auth.forget());
  const manager = new ManagerService(new ManagerRepository(db), clock, (orgId) =>
    metering.calendar.calendar(orgId),
  );

  const energyMeters = new ChargingEnergyMeters(db, metering, ctx.log);

  const loopback = ['0.0.0.0', '::', '127.0.0.1', 'localhost'].includes(config.HOST);
  const fake = new FakeChargingOperator({
    baseUrl: loopback ? `http://127.0.0.1:${config.PORT}` : config.publicUrl,
    operatorId: DEMO_OPERATOR_ID,
    secret: DEMO_OPERATOR_SECRET,
    timeZone: config.DEFAULT_TIME_ZONE,
    now: () => clock.now(),
  });
  const jobs: JobDefinition<any>[] = ctx.demo
    ? [
        {
          name: JOB_DEMO_OPERATOR,
          cron: { expression: '* * * * *' },
          // A tick that found the BFF not listening yet (the first minute of a start) is tried again
          // 10 s later; ticks are idempotent, so a retry overlapping the next minute's changes nothing.
          defaults: { retryLimit: 3, retryDelay: 10, retryBackoff: false, expireInSeconds: 50 },
          handle: async () => {
            await fake.tick();
          },
        },
      ]
    : [];

  const facts: ChargingFacts = {
    async signingKey(operatorPk) {
      const [row] = await db.select().from(chargingOperators).where(eq(chargingOperators.id, operatorPk));
      return row
        ? { orgId: row.orgId, operatorId: row.operatorId, secret: box.open<string>(row.secretEnc) }
        : null;
    },
    async operatorOf(orgId, operatorId) {
      const row = await operators.findByOperatorId(operatorId);
      return row && row.orgId === orgId ? { operatorPk: row.id, orgId, operatorId: row.operatorId } : null;
    },
    async cellOf(orgId, operatorId, cellId) {
      const [row] = await db
        .select({
          operatorPk: chargingOperators.id,
          operatorId: chargingOperators.operatorId,
          stationId: chargingStations.stationId,
          equipmentId: chargingEquipment.equipmentId,
          cellId: chargingCells.cellId,
        })
        .from(chargingCells)
        .innerJoin(chargingOperators, eq(chargingOperators.id, chargingCells.operatorPk))
        .innerJoin(chargingEquipment, eq(chargingEquipment.id, chargingCells.equipmentPk))
        .innerJoin(chargingStations, eq(chargingStations.id, chargingEquipment.stationPk))
        .where(
          and(
            eq(chargingCells.orgId, orgId),
            eq(chargingOperators.operatorId, operatorId),
            eq(chargingCells.cellId, cellId),
          ),
        );
      return row ?? null;
    },
  };

  // The demo operator's own callback server (demo mode only), started by demo().
  const receiver = ctx.demo ? new FakeOperatorReceiver(DEMO_OPERATOR_SECRET, 100) : null;
  // A manager's real-time query reaches the demo operator, which re-reports that connector at once.
  receiver?.on(DEMO_CALLBACK_PATHS.realtimeQueryCallback, (call) => {
    const cellId = (call.body as { cellId?: unknown } | null)?.cellId;
    if (typeof cellId === 'string')
      fake
        .reReport(cellId)
        .catch((err: unknown) => ctx.log.warn({ err, cellId }, 'demo operator re-report failed'));
  });
  let receiverUrl: string | null = null;

  return {
    api: {
      auth,
      facts,
    },
    stop: async () => {
      await receiver?.close();
    },
    routes: [...operatorRoutes(auth, { assets, status, records }), ...managerRoutes({ manager, operators })],
    consumers: [
      {
        name: 'charging.bill-state',
        events: ['payments.bill.changed'],
        handle: (events) => records.onBillChanged(events),
      },
      {
        name: 'charging.energy-meter',
        events: ['charging.record.submitted'],
        handle: (events) => energyMeters.onRecords(events),
      },
    ],
    jobs,
    demo: async () => {
      const res = (await db.execute(
        sql`select org_id from users where name = 'demo' order by id limit 1`,
      )) as unknown as { rows: { org_id: number }[] };
      const orgId = res.rows[0]?.org_id;
      if (!orgId) return ['  充电运营商演示:      未启动（没有演示账号）'];
      if (!(await operators.findByOperatorId(DEMO_OPERATOR_ID)))
        await operators.create(orgId, {
          operatorId: DEMO_OPERATOR_ID,
          name: '演示充电运营商',
          site: '演示厂区',
          secret: DEMO_OPERATOR_SECRET,
        });
      if (receiver && !receiverUrl) {
        receiverUrl = await receiver.start();
        fake.useCallbacks(receiverUrl);
      }
      return [
        `  充电运营商演示:      OperatorId ${DEMO_OPERATOR_ID} / 密钥 ${DEMO_OPERATOR_SECRET}（模拟桩企每分钟上报一次，充电口 1 → 3 → 1）`,
        `  演示运营商回调地址:  ${receiverUrl}（上报失败、实时数据查询、充电过程数据、安全预警）`,
      ];
    },
  };
});
