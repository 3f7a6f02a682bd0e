import crypto from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { startTestApp, type TestApp } from '../../../../../test/support/app';
import { buildOrg } from '../../../../../test/support/builders';
import { ManualClock } from '../../../infra/clock';
import { platformEvents } from '../../../platform/tables';
import { deviceCommands, devices } from '../tables';
import { COMMANDS_SWEEP_JOB } from '../feature';

const T0 = new Date('2026-03-02T08:00:00Z');

/**
 * Commands left open by an instance that died (kill -9 between sending and ending them) are closed by
 * the `devices.commands-sweep` cron job on the platform's job runner, on the test's clock — no timer.
 */
describe('the command sweep job closes abandoned commands once their answer_by passed', () => {
  let app: TestApp;
  let clock: ManualClock;
  let orgId: number;
  let deviceId: number;

  beforeAll(async () => {
    clock = new ManualClock(new Date(T0));
    app = await startTestApp({ clock });
    orgId = (await buildOrg(app)).orgId;
    const [device] = await app.deps.db
      .insert(devices)
      .values({ orgId, deviceUid: 'ems-swept', name: 'BMS', kind: 'ems', secretHash: 'x' })
      .returning();
    deviceId = device!.id;
  });
  afterAll(() => app.close());

  /** A record as a dead instance left it: requested at `at`, its answer due `waitMs` later. */
  async function abandoned(
    method: string,
    status: 'pending' | 'succeeded',
    at: Date,
    waitMs: number,
    parentId: string | null = null,
  ): Promise<string> {
    const id = crypto.randomUUID();
    await app.deps.db.insert(deviceCommands).values({
      id,
      orgId,
      deviceId,
      deviceUid: 'ems-swept',
      parentId,
      method,
      params: {},
      stateChanging: method === 'bms.command',
      status,
      requestedAt: at,
      deadline: new Date(at.getTime() + 1000),
      answerBy: new Date(at.getTime() + waitMs),
      ...(status === 'succeeded' ? { answeredAt: at, result: { ok: true } } : {}),
    });
    return id;
  }
  const rows = async (ids: string[]) =>
    new Map(
      (await app.deps.db.select().from(deviceCommands).where(inArray(deviceCommands.id, ids))).map((r) => [
        r.id,
        r,
      ]),
    );

  it('is a cron job of the feature (not a timer of its own)', async () => {
    const schedules = await app.platform.jobs.schedules();
    expect(schedules).toContainEqual({ name: COMMANDS_SWEEP_JOB, cron: '* * * * *', timezone: 'UTC' });
  });

  it('times out open commands, marks a BMS command without read-back, and leaves the rest alone', async () => {
    const now = clock.now();
    const silent = await abandoned('reactive.set', 'pending', now, 3000);
    const bms = await abandoned('bms.command', 'succeeded', now, 5000);
    const readback = await abandoned('bms.status', 'pending', now, 5000, bms);
    const later = await abandoned('reactive.set', 'pending', now, 60_000);
    const ids = [silent, bms, readback, later];
    const waiting = app.deps.devices.relay.waitFor(
      silent,
      (r) => r.completedAt !== null,
      clock.now().getTime() + 60_000,
      false,
    );

    // Not yet due: nothing changes.
    clock.advance(2000);
    await app.platform.runCron(COMMANDS_SWEEP_JOB);
    expect([...(await rows(ids)).values()].every((r) => r.completedAt === null)).toBe(true);

    clock.advance(5000); // 7 s after the request: the first three are past answer_by (+1 s grace)
    await app.platform.runCron(COMMANDS_SWEEP_JOB);
    const after = await rows(ids);
    expect(after.get(silent)).toMatchObject({ status: 'timed_out', completedAt: clock.now() });
    expect(after.get(bms)).toMatchObject({
      status: 'succeeded',
      readbackError: '回读未完成',
      completedAt: clock.now(),
    });
    expect(after.get(readback)).toMatchObject({ status: 'timed_out', completedAt: clock.now() });
    expect(after.get(later)).toMatchObject({ status: 'pending', completedAt: null });
    // A request waiting on this instance (e.g. a repeated tap) hears of it at once.
    await expect(waiting).resolves.toMatchObject({ id: silent, status: 'timed_out' });
    // Each closed command announces its outcome once.
    const events = await app.deps.db
      .select()
      .from(platformEvents)
      .where(eq(platformEvents.type, 'device.command.completed'));
    const announced = events.map((e) => (e.payload as { commandId: string }).commandId);
    expect(announced.filter((c) => ids.includes(c)).sort()).toEqual([silent, bms, readback].sort());

    // A second tick finds nothing more to do.
    clock.advance(1000);
    await app.platform.runCron(COMMANDS_SWEEP_JOB);
    expect((await rows([silent]))?.get(silent)?.completedAt).toEqual(after.get(silent)!.completedAt);
    const again = await app.deps.db
      .select()
      .from(platformEvents)
      .where(eq(platformEvents.type, 'device.command.completed'));
    expect(again).toHaveLength(events.length);
  });
});
