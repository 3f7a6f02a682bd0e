import http from 'node:http';
import { sql } from 'drizzle-orm';
import { createApp } from '../../app';
import { DEMO_PASSWORD, DEMO_USER, demoDataPartWith } from '../../demo/demo-data';
import { DEMO_CALLBACK_PATHS, DEMO_OPERATOR_ID } from '../../fakes/charging-operator/simulator';
import { ManualClock } from '../../infra/clock';
import { freePort, startTestApp, type TestApp } from '../../../../test/support/app';
import { eventually } from '../../../../test/support/devices';
import { JOB_DEMO_OPERATOR } from './feature';

// Demo mode as `npm start` runs it: the charging feature's demo hook creates DEMO-OPERATOR-01 and starts
// its callback server on loopback; the simulated operator (ticked by the platform's cron job, calling the
// app on PORT) sets its four callback addresses there, which demo mode's URL policy allows for it alone.
jest.setTimeout(120_000);

let app: TestApp;
let server: http.Server;
const clock = new ManualClock(new Date('2026-03-10T02:00:00Z'));

beforeAll(async () => {
  const port = await freePort();
  app = await startTestApp({
    env: { WD_DEMO: 'true', TRUST_PROXY: 'false', PORT: String(port), CHARGING_CALLBACK_RETRIES: '0' },
    clock,
  });
  await demoDataPartWith({ days: 1, steelIntervals: 8, user: DEMO_USER }).start(app.container);
  server = http.createServer(createApp(app.deps).app.callback());
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
}, 120_000);
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await app?.close();
});

describe('demo operator callbacks', () => {
  it("sets the demo operator's callback addresses to its own loopback server, and a manager's request reaches it signed", async () => {
    const lines = await app.platform.registry.demo(['charging']);
    const base = /(http:\/\/127\.0\.0\.1:\d+)（上报失败/.exec(lines.join('\n'))?.[1];
    expect(base).toBeDefined();
    await app.platform.runCron(JOB_DEMO_OPERATOR);
    const urls = await app.deps.database.rows<{ kind: string; url: string }>(
      sql`select u.kind, u.url from charging_callback_urls u join charging_operators o on o.id = u.operator_pk
          where o.operator_id = ${DEMO_OPERATOR_ID} order by u.kind`,
    );
    expect(urls).toEqual([
      { kind: 'processData', url: `${base}${DEMO_CALLBACK_PATHS.processDataCallback}` },
      { kind: 'realtimeQuery', url: `${base}${DEMO_CALLBACK_PATHS.realtimeQueryCallback}` },
      { kind: 'reportFailure', url: `${base}${DEMO_CALLBACK_PATHS.reportFailureCallback}` },
      { kind: 'safetyWarning', url: `${base}${DEMO_CALLBACK_PATHS.safetyWarningCallback}` },
    ]);
    const login = await app.http
      .post('/api/auth')
      .send({ Usr_Name: DEMO_USER, Usr_Password: DEMO_PASSWORD })
      .expect(200);
    const auth = { Authorization: `Bearer ${login.body.Data[0].Usr_Token as string}` };
    const statusTime = async () =>
      (await app.http.get('/api_3/charging_stations').set(auth).expect(200)).body.Data[0].Equipment[0]
        .Cells[0].Status_Time as string;
    const before = await statusTime();
    expect(before).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    clock.set(new Date(clock.now().getTime() + 20_000));
    await app.http
      .post('/api_3/charging_cell_realtime_query')
      .set(auth)
      .send({ Operator_Id: DEMO_OPERATOR_ID, Cell_Id: 'DEMO-C-01' })
      .expect(200);
    await app.platform.settle();
    const attempts = await app.http
      .get('/api_3/charging_callback_attempts')
      .set(auth)
      .query({ Operator_Id: DEMO_OPERATOR_ID, Kind: 'realtimeQuery' })
      .expect(200);
    // The demo operator's server verifies the signature (401 otherwise) and answers 200.
    expect(attempts.body.Data).toEqual([
      expect.objectContaining({
        url: `${base}${DEMO_CALLBACK_PATHS.realtimeQueryCallback}`,
        result: 'ok',
        httpStatus: 200,
        callStatus: 'delivered',
      }),
    ]);
    // The demo operator answers as an operator does: it re-reports the connector at once (20 s later).
    const after = await eventually(async () => {
      const t = await statusTime();
      return t !== before && t;
    }, 10_000);
    expect(new Date(after.replace(' ', 'T')).getTime() - new Date(before.replace(' ', 'T')).getTime()).toBe(
      20_000,
    );
  });
});
