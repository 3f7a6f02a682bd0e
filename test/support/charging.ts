import crypto from 'node:crypto';
import { signOperatorRequest } from '../../bff/src/features/charging/operator-auth';
import { operatorDatetime } from '../../bff/src/fakes/charging-operator/client';
import type { Clock } from '../../bff/src/infra/clock';
import type { TestApp } from './app';
import { randomIp, type TestUser } from './builders';

/** An operator created through the admin API, calling the seed 004 API with signed headers (supertest). */
export class TestOperator {
  token = '';
  private readonly ip = randomIp();
  constructor(
    private readonly app: TestApp,
    private readonly clock: Clock,
    readonly pk: number,
    readonly operatorId: string,
    public secret: string,
  ) {}

  /** The four headers, signed now (or at `at`) with this operator's secret. */
  headers(token = this.token, at = this.clock.now()): Record<string, string> {
    const datetime = operatorDatetime(at, 'Asia/Shanghai');
    const h: Record<string, string> = {
      Datetime: datetime,
      OperatorId: this.operatorId,
      Signature: signOperatorRequest(this.secret, datetime, this.operatorId, token),
      'X-Forwarded-For': this.ip,
    };
    if (token) h.Token = token;
    return h;
  }

  async fetchToken(): Promise<string> {
    const res = await this.app.http
      .get('/platform/management/operatorAPIToken')
      .set(this.headers(''))
      .expect(200);
    this.token = res.body.data as string;
    return this.token;
  }

  /** A signed call; GET and DELETE send `payload` as the query, the others as the JSON body. */
  async call(method: 'get' | 'post' | 'put' | 'delete', path: string, payload?: object) {
    if (!this.token) await this.fetchToken();
    const req = this.app.http[method](path).set(this.headers());
    return method === 'get' || method === 'delete' ? req.query(payload ?? {}) : req.send(payload ?? {});
  }
}

/** Creates an operator of the admin's organization (random OperatorId) and returns its client. */
export async function buildOperator(app: TestApp, clock: Clock, admin: TestUser): Promise<TestOperator> {
  const operatorId = `OP-${crypto.randomBytes(4).toString('hex')}`;
  const res = await app.http
    .post('/api_3/charging_operators')
    .set(admin.auth)
    .send({ Operator_Id: operatorId, Operator_Name: `运营商 ${operatorId}`, Site: '一号厂区' })
    .expect(200);
  const d = res.body.Data[0] as { id: number; Operator_Secret: string };
  return new TestOperator(app, clock, d.id, operatorId, d.Operator_Secret);
}

/** Station, equipment and one cell bodies for an operator (T/CEC fields; seed 004 cell fields). */
export function assetBodies(op: TestOperator, ids = { station: 'S1', equipment: 'E1', cell: 'C1' }) {
  return {
    station: {
      stationId: ids.station,
      operatorId: op.operatorId,
      stationName: '测试充电站',
      address: '测试路 1 号',
      serviceTel: '4000000000',
      stationType: 1,
      stationStatus: 50,
      stationLng: 121.4,
      stationLat: 31.2,
      construction: 5,
    },
    equipment: {
      equipmentId: ids.equipment,
      stationId: ids.station,
      operatorId: op.operatorId,
      equipmentName: '1# 桩',
      equipmentType: 1,
      power: 120,
    },
    cell: {
      cellId: ids.cell,
      equipmentId: ids.equipment,
      operatorId: op.operatorId,
      cellType: 2,
      cellStandard: 'GB/T 20234.3-2015',
      ratedVoltageUpperLimit: 750,
      ratedVoltageLowerLimit: 200,
      ratedCurrent: 250,
      ratedPower: 120,
      electricityFee: '0.8 元/kWh',
      serviceFee: '0.4 元/kWh',
      fireControl: 1,
      smokeSensation: 1,
    },
  };
}

/** Registers a station, equipment and a cell through the API. */
export async function registerAssets(
  op: TestOperator,
  ids?: { station: string; equipment: string; cell: string },
) {
  const b = assetBodies(op, ids);
  for (const [path, body] of [
    ['/platform/management/station', b.station],
    ['/platform/management/equipment', b.equipment],
    ['/platform/management/cell', b.cell],
  ] as const) {
    const res = await op.call('post', path, body);
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return b;
}
