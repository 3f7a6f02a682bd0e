import { operatorDatetime, OperatorClient, type OperatorClientOptions } from './client';

/** The demo operator of the demo organization (README). */
export const DEMO_OPERATOR_ID = 'DEMO-OPERATOR-01';
export const DEMO_OPERATOR_SECRET = 'demo-operator-secret-2026';

const STATION = 'DEMO-ST-01';
const EQUIPMENT = [
  { id: 'DEMO-EQ-01', type: 1, power: 60, name: '1# 直流快充桩' },
  { id: 'DEMO-EQ-02', type: 2, power: 7, name: '2# 交流慢充桩' },
];
/** Cells: which equipment, rated power, and their behaviour (cycle offset in minutes, or a fixed status). */
const CELLS = [
  {
    id: 'DEMO-C-01',
    eq: 0,
    cellType: 2,
    ratedPower: 60,
    ratedCurrent: 150,
    vLow: 200,
    vHigh: 750,
    offset: 0,
  },
  {
    id: 'DEMO-C-02',
    eq: 0,
    cellType: 2,
    ratedPower: 60,
    ratedCurrent: 150,
    vLow: 200,
    vHigh: 750,
    offset: 3,
  },
  { id: 'DEMO-C-03', eq: 1, cellType: 3, ratedPower: 7, ratedCurrent: 32, vLow: 187, vHigh: 253, fixed: 1 },
  { id: 'DEMO-C-04', eq: 1, cellType: 3, ratedPower: 7, ratedCurrent: 32, vLow: 187, vHigh: 253, fixed: 2 },
] as const;

/** The operator's callback endpoints on its own server (FakeOperatorReceiver), by seed 004 address. */
export const DEMO_CALLBACK_PATHS = {
  reportFailureCallback: '/report-failure',
  realtimeQueryCallback: '/realtime-query',
  processDataCallback: '/process-data',
  safetyWarningCallback: '/safety-warning',
} as const;

/** A 6-minute cycle: 2 minutes 1 空闲, 3 minutes 3 充电中, then a record and 1 空闲 again. */
export const CYCLE_MIN = 6;
const CHARGING_FROM = 2;
const CHARGING_TO = 5;
const ELEC_PRICE = 0.8;
const SERVICE_PRICE = 0.4;
const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * A simulated charging operator (桩企) that speaks only the signed seed 004 HTTP API: registers a
 * station with two pieces of equipment and four cells, then on every tick (a scheduled job of the
 * platform, once a minute) reports each cell's status — a connector goes 1 → 3 → 1 — and submits the
 * finished session's record (idempotent on its record id, so a repeated tick changes nothing).
 */
export class FakeChargingOperator {
  readonly client: OperatorClient;
  private registered = false;
  private callbackBase?: string;
  constructor(private readonly o: OperatorClientOptions & { timeZone: string }) {
    this.client = new OperatorClient(o);
  }

  private now = () => (this.o.now ? this.o.now() : new Date());

  /**
   * Where the operator's own callback server listens (e.g. `http://127.0.0.1:40123`): registering then
   * also sets its four callback addresses (上报失败, 查询实时数据, 请求上报充电过程数据, 安全预警) there.
   */
  useCallbacks(base: string): void {
    this.callbackBase = base;
    this.registered = false;
  }

  /** Submits the station, equipment and cells that are not there yet, and the callback addresses. */
  async register(): Promise<void> {
    const c = this.client;
    const ok = (a: { status: number; message: string }, what: string) => {
      if (a.status !== 200 && a.status !== 409) throw new Error(`${what}: ${a.status} ${a.message}`);
    };
    ok(
      await c.call('POST', '/platform/management/station', {
        stationId: STATION,
        operatorId: this.o.operatorId,
        stationName: '演示厂区充电站',
        address: '演示工业园 1 号停车场',
        serviceTel: '4000000000',
        stationType: 1,
        stationStatus: 50,
        stationLng: 121.47,
        stationLat: 31.23,
        construction: 5,
        parkNums: 4,
        electricityFee: `${ELEC_PRICE} 元/kWh`,
        serviceFee: `${SERVICE_PRICE} 元/kWh`,
      }),
      'station',
    );
    for (const e of EQUIPMENT)
      ok(
        await c.call('POST', '/platform/management/equipment', {
          equipmentId: e.id,
          stationId: STATION,
          operatorId: this.o.operatorId,
          equipmentName: e.name,
          equipmentType: e.type,
          power: e.power,
        }),
        'equipment',
      );
    for (const cell of CELLS)
      ok(
        await c.call('POST', '/platform/management/cell', {
          cellId: cell.id,
          equipmentId: EQUIPMENT[cell.eq]!.id,
          operatorId: this.o.operatorId,
          cellType: cell.cellType,
          cellStandard: 'GB/T 20234-2015',
          ratedVoltageUpperLimit: cell.vHigh,
          ratedVoltageLowerLimit: cell.vLow,
          ratedCurrent: cell.ratedCurrent,
          ratedPower: cell.ratedPower,
          electricityFee: `${ELEC_PRICE} 元/kWh`,
          serviceFee: `${SERVICE_PRICE} 元/kWh`,
          fireControl: 1,
          smokeSensation: 1,
        }),
        'cell',
      );
    if (this.callbackBase)
      for (const [address, path] of Object.entries(DEMO_CALLBACK_PATHS)) {
        const a = await c.call('PUT', `/platform/management/${address}`, {
          operatorId: this.o.operatorId,
          url: `${this.callbackBase}${path}`,
        });
        if (a.status !== 200) throw new Error(`${address}: ${a.status} ${a.message}`);
      }
    this.registered = true;
  }

  /** What each cell reports at `t`, and the record of a session that ended in the minute before. */
  static plan(t: Date, tz: string) {
    const minute = Math.floor(t.getTime() / 60_000);
    const at = (m: number) => operatorDatetime(new Date(m * 60_000), tz);
    return CELLS.map((cell) => {
      const equipmentId = EQUIPMENT[cell.eq]!.id;
      if ('fixed' in cell)
        return {
          report: { cellId: cell.id, equipmentId, status: cell.fixed, statusTime: operatorDatetime(t, tz) },
        };
      const local = minute - cell.offset;
      const phase = ((local % CYCLE_MIN) + CYCLE_MIN) % CYCLE_MIN;
      const cycleStart = local - phase + cell.offset;
      const charging = phase >= CHARGING_FROM && phase < CHARGING_TO;
      const power = cell.ratedPower * 0.8;
      const since = cycleStart + CHARGING_FROM;
      const energy = round2((power * (minute - since + 1)) / 60);
      const report = {
        cellId: cell.id,
        equipmentId,
        status: charging ? 3 : 1,
        statusTime: operatorDatetime(t, tz),
        ...(charging
          ? {
              power,
              voltage: 500,
              current: round2((power * 1000) / 500),
              soc: 20 + (phase - CHARGING_FROM) * 20,
              temperature: 35,
              totalPower: energy,
              startTime: at(since),
            }
          : { power: 0, voltage: 0, current: 0 }),
      };
      // The session of this cycle ended at minute CHARGING_TO: from then on the record is (re)submitted.
      const totalPower = round2((power * (CHARGING_TO - CHARGING_FROM)) / 60);
      const record =
        phase >= CHARGING_TO
          ? {
              recordId: `DEMO-${cell.id}-${cycleStart}`,
              stationId: STATION,
              equipmentId,
              cellId: cell.id,
              startTime: at(since),
              endTime: at(cycleStart + CHARGING_TO),
              totalPower,
              elecPrice: ELEC_PRICE,
              servicePrice: SERVICE_PRICE,
              elecMoney: round2(totalPower * ELEC_PRICE),
              serviceMoney: round2(totalPower * SERVICE_PRICE),
              totalMoney: round2(round2(totalPower * ELEC_PRICE) + round2(totalPower * SERVICE_PRICE)),
              stopReason: 2,
              plateNo: '沪A·D0001',
            }
          : undefined;
      return { report, record };
    });
  }

  /**
   * Answers the platform's real-time query (查询充电口实时数据) as an operator does: reports the cell's live
   * state again at once (重新上报充电口实时信息). False for a cell this operator does not have.
   */
  async reReport(cellId: string): Promise<boolean> {
    if (!this.registered) await this.register();
    const p = FakeChargingOperator.plan(this.now(), this.o.timeZone).find((x) => x.report.cellId === cellId);
    if (!p) return false;
    const r = await this.client.call('POST', '/platform/management/cellStatus/reReport', p.report);
    if (r.status !== 200) throw new Error(`re-report ${cellId}: ${r.status} ${r.message}`);
    return true;
  }

  /** One tick: registers if needed, reports every cell as a list, submits finished records. */
  async tick(): Promise<{ reports: number; records: number }> {
    if (!this.registered) await this.register();
    const plan = FakeChargingOperator.plan(this.now(), this.o.timeZone);
    const r = await this.client.call<{ accepted: boolean }[]>('POST', '/platform/management/cellStatusList', {
      list: plan.map((p) => p.report),
    });
    if (r.status !== 200) throw new Error(`status list: ${r.status} ${r.message}`);
    const records = plan.flatMap((p) => (p.record ? [p.record] : []));
    if (records.length) {
      const a = await this.client.call('POST', '/platform/management/chargeOrderList', { list: records });
      if (a.status !== 200) throw new Error(`records: ${a.status} ${a.message}`);
    }
    return { reports: plan.length, records: records.length };
  }
}
