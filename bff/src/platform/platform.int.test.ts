import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { Client } from 'pg';
import { startTestApp, type TestApp } from '../../../test/support/app';
import { buildOrg } from '../../../test/support/builders';
import { buildMeter, postReadings } from '../../../test/support/metering/builders';
import { ManualClock } from '../infra/clock';
import { defineFeature, type DomainEvent, type FeatureModule } from './contract';

/** A test feature: records what its consumer saw, can be told to throw, and runs a job and a cron. */
function probeFeature(name = 'probe') {
  const seen: DomainEvent[] = [];
  const seenB: DomainEvent[] = [];
  const jobsRun: { data: unknown; retryCount: number }[] = [];
  const control = { failNext: 0, jobFailAlways: false, failUid: '' };
  const feature = defineFeature(name, () => ({
    api: { seen },
    consumers: [
      {
        name: `${name}.readings`,
        events: ['readings.ingested', 'device.status'],
        handle: async (events) => {
          if (control.failNext > 0) {
            control.failNext--;
            throw new Error('consumer failed on purpose');
          }
          if (events.some((e) => (e.payload as { deviceUid?: string }).deviceUid === control.failUid))
            throw new Error('this event always fails');
          seen.push(...events);
        },
      },
      {
        name: `${name}.readings-b`,
        events: ['readings.ingested'],
        handle: async (e) => void seenB.push(...e),
      },
    ],
    jobs: [
      {
        name: `${name}.work`,
        defaults: { retryLimit: 2, retryDelay: 30, retryBackoff: true },
        handle: async (data: unknown, job) => {
          if (control.jobFailAlways) throw new Error(`job refused ${JSON.stringify(data)}`);
          jobsRun.push({ data, retryCount: job.retryCount });
        },
      },
      {
        name: `${name}.hourly`,
        cron: { expression: '5 * * * *', data: { tick: true } },
        handle: async () => undefined,
      },
    ],
  }));
  return { feature: feature as FeatureModule<string, unknown>, seen, seenB, jobsRun, control };
}

describe('platform: events, jobs, features', () => {
  let app: TestApp;
  let probe: ReturnType<typeof probeFeature>;
  const clock = new ManualClock(new Date('2026-03-02T08:00:00Z'));

  beforeAll(async () => {
    probe = probeFeature();
    app = await startTestApp({ clock, features: [probe.feature] });
  });
  afterAll(() => app.close());

  it('delivers a committed event to every subscribed consumer once, even when one throws first', async () => {
    const { db } = app.deps;
    const before = probe.seen.length;
    await db.transaction(async (tx) => {
      await app.platform.events.emit(tx, 'device.status', 7, {
        deviceId: 1,
        deviceUid: 'dev-x',
        online: true,
        ts: 1,
      });
    });
    probe.control.failNext = 1;
    await app.platform.settle();
    const got = probe.seen.slice(before);
    expect(got.map((e) => [e.type, e.orgId, (e.payload as { deviceUid: string }).deviceUid])).toEqual([
      ['device.status', 7, 'dev-x'],
    ]);
    expect(got[0]!.occurredAt.toISOString()).toBe('2026-03-02T08:00:00.000Z');
    // settled: nothing is redelivered
    await app.platform.settle();
    expect(probe.seen.length).toBe(before + 1);
  });

  it('never delivers an event emitted in a transaction that rolled back', async () => {
    const before = probe.seen.length;
    await expect(
      app.deps.db.transaction(async (tx) => {
        await app.platform.events.emit(tx, 'device.status', 7, {
          deviceId: 2,
          deviceUid: 'dev-rolled-back',
          online: false,
          ts: 2,
        });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await app.platform.settle();
    expect(probe.seen.slice(before)).toEqual([]);
    const rows = await app.deps.database.rows<{ n: number }>(
      sql`select count(*)::int as n from platform_events where payload->>'deviceUid' = 'dev-rolled-back'`,
    );
    expect(rows[0]!.n).toBe(0);
  });

  const status = (uid: string) => ({ deviceId: 3, deviceUid: uid, online: true, ts: 3 });
  const uids = (events: DomainEvent[]) => events.map((e) => (e.payload as { deviceUid: string }).deviceUid);

  it('passes an event that fails every retry after recording it, and delivers the events after it', async () => {
    const before = probe.seen.length;
    const bad = `poison-${crypto.randomUUID()}`;
    probe.control.failUid = bad;
    try {
      await app.deps.db.transaction(async (tx) => {
        await app.platform.events.emit(tx, 'device.status', 7, status('before-poison'));
        await app.platform.events.emit(tx, 'device.status', 7, status(bad));
        await app.platform.events.emit(tx, 'device.status', 7, status('after-poison'));
      });
      await app.platform.settle(['probe.readings']);
    } finally {
      probe.control.failUid = '';
    }
    expect(uids(probe.seen.slice(before))).toEqual(['before-poison', 'after-poison']);
    const failed = await app.deps.database.rows<{ consumer: string; error: string; uid: string }>(
      sql`select f.consumer, f.error, e.payload->>'deviceUid' as uid from platform_event_failures f
            join platform_events e on e.id = f.event_id
           where f.scope = ${app.config.WD_JOBS_SCHEMA}`,
    );
    expect(failed).toEqual([
      { consumer: 'probe.readings', error: 'Error: this event always fails', uid: bad },
    ]);
    // the other consumer of the same type was not held up
    await app.platform.settle(['probe.readings']);
    expect(uids(probe.seen.slice(before))).toEqual(['before-poison', 'after-poison']);
  });

  it('delivers a job of the pre-cursor kind (one per event, with its id) still queued at an upgrade', async () => {
    const before = probe.seen.length;
    const [row] = await app.deps.database.rows<{ id: string }>(
      sql`insert into platform_events (type, org_id, payload, occurred_at, scope)
          values ('device.status', 7, ${JSON.stringify(status('queued-before-upgrade'))}::jsonb, now(), 'an-old-install')
          returning id::text as id`,
    );
    await app.platform.jobs.send('probe.readings', { eventId: row!.id });
    await app.platform.settle(['probe.readings']);
    expect(uids(probe.seen.slice(before))).toEqual(['queued-before-upgrade']);
  });

  it('announces ingested readings over HTTP with the hours whose consumption changed, late data included', async () => {
    const user = await buildOrg(app);
    const meter = await buildMeter(app, user);
    const t0 = Date.parse('2026-03-02T00:00:00Z');
    const before = probe.seenB.length;
    const r = await postReadings(app, user, [
      { meter: meter.id, ts: t0, total: 100 },
      { meter: meter.id, ts: t0 + 15 * 60_000, total: 101, params: { UA: 230 } },
      { meter: meter.id, ts: t0 + 75 * 60_000, total: 104 },
    ]);
    expect(r.Accepted).toBe(3);
    await app.platform.settle();
    const [ev] = probe.seenB.slice(before) as DomainEvent<'readings.ingested'>[];
    expect(ev!.orgId).toBe(user.orgId);
    expect(ev!.payload.source).toBe('http');
    expect(ev!.payload.readings.map((x) => [x.meterId, x.ts, x.total, x.params])).toEqual([
      [meter.id, t0, 100, null],
      [meter.id, t0 + 15 * 60_000, 101, { UA: 230 }],
      [meter.id, t0 + 75 * 60_000, 104, null],
    ]);
    // consumption lands in (t0, t0+15m] → hour t0, and (t0+15m, t0+75m] → hours t0 and t0+1h
    expect(ev!.payload.hours.map((h) => h.hourStart - t0).sort((a, b) => a - b)).toEqual([0, 3_600_000]);
    // a late reading at t0+45m takes 1 of the 3 units booked at t0+75m: both hours change
    await postReadings(app, user, [{ meter: meter.id, ts: t0 + 45 * 60_000, total: 102 }]);
    await app.platform.settle();
    const late = probe.seenB.at(-1) as DomainEvent<'readings.ingested'>;
    expect(late.payload.hours.map((h) => h.hourStart - t0).sort((a, b) => a - b)).toEqual([0, 3_600_000]);
    // a re-sent reading changes no consumption: no hours
    await postReadings(app, user, [{ meter: meter.id, ts: t0 + 45 * 60_000, total: 102 }]);
    await app.platform.settle();
    expect((probe.seenB.at(-1) as DomainEvent<'readings.ingested'>).payload.hours).toEqual([]);
  });

  it('sends jobs in a transaction only when it commits; a key enqueues once', async () => {
    const { db } = app.deps;
    const jobs = app.platform.jobs;
    await expect(
      db.transaction(async (tx) => {
        await jobs.sendInTx(tx, 'probe.work', { n: 'rolled-back' });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await db.transaction((tx) => jobs.sendInTx(tx, 'probe.work', { n: 'committed' }));
    const key = crypto.randomUUID();
    expect(await jobs.send('probe.work', { n: 'keyed' }, { key })).not.toBeNull();
    expect(await jobs.send('probe.work', { n: 'keyed again' }, { key })).toBeNull();
    const before = probe.jobsRun.length;
    await app.platform.settle(['probe.work']);
    const ran = probe.jobsRun.slice(before).map((j) => (j.data as { n: string }).n);
    expect(ran.sort()).toEqual(['committed', 'keyed']);
    // once it ran, the key is free again
    expect(await jobs.send('probe.work', { n: 'keyed later' }, { key })).not.toBeNull();
    await app.platform.settle(['probe.work']);
    expect(probe.jobsRun.at(-1)!.data).toEqual({ n: 'keyed later' });
  });

  it('runs a delayed job when the test clock reaches it, not before', async () => {
    const jobs = app.platform.jobs;
    const now = clock.now().getTime();
    await jobs.send('probe.work', { n: 'in 10 min' }, { startAfter: new Date(now + 600_000) });
    const before = probe.jobsRun.length;
    await app.platform.settle();
    expect(probe.jobsRun.length).toBe(before);
    await app.platform.runDue('probe.work', new Date(now + 599_000));
    expect(probe.jobsRun.length).toBe(before);
    await app.platform.runDue('probe.work', new Date(now + 600_000));
    expect(probe.jobsRun.slice(before).map((j) => j.data)).toEqual([{ n: 'in 10 min' }]);
  });

  it('retries a failing job with its retry limit, then lists it as failed', async () => {
    probe.control.jobFailAlways = true;
    const marker = crypto.randomUUID();
    try {
      await app.platform.jobs.send('probe.work', { marker });
      await app.platform.settle(['probe.work']);
    } finally {
      probe.control.jobFailAlways = false;
    }
    const failed = await app.platform.jobs.failed('probe.work');
    const mine = failed.find((f) => (f.data as { marker?: string }).marker === marker);
    expect(mine).toMatchObject({ name: 'probe.work', data: { marker } });
    expect(mine!.error).toContain('job refused');
    const { rows } = await app.deps.database.executeSql(
      `select retry_count from ${app.config.WD_JOBS_SCHEMA}.job where id = $1`,
      [mine!.id],
    );
    expect(rows[0].retry_count).toBe(2);
    expect((await app.platform.jobs.failed()).some((f) => f.id === mine!.id)).toBe(true);
  });

  it('registers cron jobs visibly and runs a tick on demand', async () => {
    const schedules = await app.platform.jobs.schedules();
    expect(schedules).toEqual(
      expect.arrayContaining([
        { name: 'probe.hourly', cron: '5 * * * *', timezone: 'UTC' },
        { name: 'platform.events-retention', cron: '17 3 * * *', timezone: 'UTC' },
      ]),
    );
    expect(await app.platform.runCron('probe.hourly')).toBeGreaterThanOrEqual(1);
  });

  it('removes outbox rows older than 30 days in the retention job', async () => {
    await app.deps.database.rows(
      sql`insert into platform_events (type, org_id, payload, occurred_at)
          values ('device.status', null, '{"old":true}', ${new Date(clock.now().getTime() - 31 * 86_400_000).toISOString()}::timestamptz)`,
    );
    await app.platform.runCron('platform.events-retention');
    const rows = await app.deps.database.rows<{ n: number }>(
      sql`select count(*)::int as n from platform_events where payload->>'old' = 'true'`,
    );
    expect(rows[0]!.n).toBe(0);
  });

  it('makes each feature api available to later features through ctx.use', async () => {
    expect(app.platform.registry.names()).toContain('probe');
    expect(() => app.platform.registry.api('nope' as never)).toThrow(/not built before it/);
  });
});

describe('platform: event order across concurrent transactions (PostgreSQL)', () => {
  const onPostgres = process.env.WD_TEST_DB !== 'pglite' ? it : it.skip; // PGlite has one connection
  onPostgres('never passes an event whose transaction took its id first and commits last', async () => {
    const probe = probeFeature('order');
    const app = await startTestApp({ features: [probe.feature] });
    const slow = new Client({ connectionString: process.env.WD_TEST_DATABASE_URL });
    await slow.connect();
    try {
      const emit = (uid: string) => (tx: Parameters<typeof app.platform.events.emit>[0]) =>
        app.platform.events.emit(tx, 'device.status', 7, {
          deviceId: 1,
          deviceUid: uid,
          online: true,
          ts: 1,
        });
      // The slow transaction writes its event first (lower id and transaction id) and stays open.
      await slow.query('begin');
      await slow.query(
        `insert into platform_events (type, org_id, payload, occurred_at, scope)
         values ('device.status', 7, '{"deviceId":1,"deviceUid":"slow","online":true,"ts":1}', now(), $1)`,
        [app.config.WD_JOBS_SCHEMA],
      );
      await app.deps.db.transaction(emit('fast'));
      // While it is open nothing after it is read: the fast event waits instead of moving the cursor past it.
      await expect(app.platform.events.drain(['order.readings'], 5)).rejects.toThrow(/still pending/);
      expect(probe.seen).toEqual([]);
      await slow.query('commit');
      await app.platform.settle(['order.readings']);
      expect(probe.seen.map((e) => (e.payload as { deviceUid: string }).deviceUid)).toEqual(['slow', 'fast']);
    } finally {
      await slow.end();
      await app.close();
    }
  });
});

describe('platform: two instances on one database', () => {
  it('processes each job and each event delivery once across instances with workers running', async () => {
    const schema = `pgboss_t${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`;
    const env = { WD_JOBS_SCHEMA: schema, WD_JOB_WORKERS: 'true' };
    const a = probeFeature('twin');
    const b = probeFeature('twin');
    const first = await startTestApp({ env, features: [a.feature] });
    const second = await startTestApp({ env, features: [b.feature], database: first.deps.database });
    try {
      const n = 40;
      for (let i = 0; i < n; i++) await first.platform.jobs.send('twin.work', { i });
      await first.deps.db.transaction(async (tx) => {
        for (let i = 0; i < 10; i++)
          await first.platform.events.emit(tx, 'device.status', null, {
            deviceId: i,
            deviceUid: `twin-${i}`,
            online: true,
            ts: i,
          });
      });
      // both instances' workers poll; settle on one waits for what the other is running
      await first.platform.settle(['twin.work', 'twin.readings']);
      await second.platform.settle(['twin.work', 'twin.readings']);
      const ran = [...a.jobsRun, ...b.jobsRun].map((j) => (j.data as { i: number }).i).sort((x, y) => x - y);
      expect(ran).toEqual([...Array(n).keys()]);
      const delivered = [...a.seen, ...b.seen]
        .map((e) => (e.payload as { deviceUid: string }).deviceUid)
        .sort();
      expect(delivered).toEqual([...Array(10).keys()].map((i) => `twin-${i}`).sort());
    } finally {
      await second.close();
      await first.close(); // the shared schema goes with the run's database
    }
  }, 120_000); // two apps on one PGlite on a loaded machine
});
