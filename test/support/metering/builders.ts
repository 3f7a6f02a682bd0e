import type { TestApp } from '../app';
import type { TestUser } from '../builders';

let seq = 0;
const unique = (p: string) => `${p}${++seq}_${Math.random().toString(36).slice(2, 7)}`;

/** Creates a machine through the API; returns its id and name. */
export async function buildMachine(
  app: TestApp,
  user: TestUser,
  opts: { name?: string; department?: string } = {},
) {
  const name = opts.name ?? unique('机器');
  const res = await app.http
    .post('/api_3/metersuperiors')
    .set(user.auth)
    .send({
      Meter_Superior: name,
      Meter_Department: opts.department ?? '一车间',
      equipmentCode: '01',
      equipmentUnitCode: 'A-1',
    })
    .expect(200);
  return { id: Number(res.body.Data[0].id), name };
}

/** Creates a meter through the API (a machine too unless given); returns its id and name. */
export async function buildMeter(
  app: TestApp,
  user: TestUser,
  opts: { machine?: number; name?: string; type?: number; body?: Record<string, unknown> } = {},
) {
  const machine = opts.machine ?? (await buildMachine(app, user)).id;
  const name = opts.name ?? unique('仪表');
  const res = await app.http
    .post('/api_3/meters')
    .set(user.auth)
    .send({
      Meter_Name: name,
      Meter_Type: String(opts.type ?? 0),
      Meter_Superior_id: machine,
      Meter_IsCount: '1',
      ...opts.body,
    });
  if (res.status !== 200) throw new Error(`buildMeter: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: Number(res.body.Data[0].id), name, machine };
}

/** Posts readings through the HTTP batch endpoint and returns the answer's Data item. */
export async function postReadings(app: TestApp, user: TestUser, readings: unknown[]) {
  const res = await app.http.post('/api_3/readings').set(user.auth).send({ readings });
  if (res.status !== 200) throw new Error(`postReadings: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.Data[0] as {
    Accepted: number;
    Rejected: number;
    Errors: { index: number; field: string; rule: string }[];
  };
}
