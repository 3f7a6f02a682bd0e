import { ManualClock } from '../../infra/clock';
import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildOrg, type TestUser } from '../../../../test/support/builders';
import { buildOperator, type TestOperator } from '../../../../test/support/charging';
import { FakeChargingOperator } from './simulator';

// 10:00 Asia/Shanghai on a minute that starts a 6-minute cycle of DEMO-C-01.
const T0 = new Date(Math.ceil(Date.parse('2026-03-10T02:00:00Z') / 360_000) * 360_000);
const MIN = 60_000;

let app: TestApp;
let admin: TestUser;
let op: TestOperator;
const clock = new ManualClock(T0);
let fake: FakeChargingOperator;

beforeAll(async () => {
  app = await startTestApp({ clock });
  admin = await buildOrg(app);
  op = await buildOperator(app, clock, admin);
  fake = new FakeChargingOperator({
    baseUrl: await app.listen(),
    operatorId: op.operatorId,
    secret: op.secret,
    timeZone: 'Asia/Shanghai',
    now: () => clock.now(),
  });
}, 120_000);
afterAll(() => app.close());

const cellStatus = async (cellId: string) => {
  const res = await app.http.get('/api_3/charging_stations').set(admin.auth).expect(200);
  for (const s of res.body.Data)
    for (const e of s.Equipment) for (const c of e.Cells) if (c.Cell_Id === cellId) return c.Status as number;
  return undefined;
};

describe('simulated charging operator (signed seed 004 API only)', () => {
  it('registers its station and reports a connector going 1 → 3 → 1, then its record once', async () => {
    const seen: number[] = [];
    for (let m = 0; m <= 6; m++) {
      clock.set(new Date(T0.getTime() + m * MIN));
      await fake.tick();
      seen.push((await cellStatus('DEMO-C-01'))!);
    }
    expect(seen).toEqual([1, 1, 3, 3, 3, 1, 1]);
    const recs = await app.http
      .get('/api_3/charging_records')
      .set(admin.auth)
      .query({ Cell_Id: 'DEMO-C-01' })
      .expect(200);
    // Re-submitted on two ticks (minutes 5 and 6 of the cycle), kept once.
    expect(recs.body.Total_Numbers).toBe(1);
    expect(recs.body.Data[0]).toMatchObject({ Total_Power: 2.4, Total_Money: 2.88, Pay_State: 'none' });
  });
});
