import { ManualClock } from '../../infra/clock';
import { startFakeProvincial, type FakeProvincial } from '../../fakes/provincial/server';
import { ProvincialClient } from './client';

// The wd-prp/1 client against the fake platform: signing, clock skew, retryable and final failures.
let fake: FakeProvincial;
const clock = new ManualClock(new Date('2026-03-10T04:00:00Z'));
const target = () => ({ baseUrl: fake.url, accessKey: 'k1', secret: 'secret-of-k1-0123456789' });
const client = new ProvincialClient({ clock, timeoutMs: 2000 });

beforeAll(async () => {
  fake = await startFakeProvincial({
    keys: { k1: 'secret-of-k1-0123456789' },
    now: () => clock.now().getTime(),
  });
});
afterAll(() => fake.close());

describe('provincial client (docs/provincial-adapter.md)', () => {
  it('signs requests the platform accepts, and a wrong secret is refused for good (1001)', async () => {
    const ok = await client.version(target());
    expect(ok).toMatchObject({ ok: true, value: { requireUpdate: 1, dicVersion: '2026.1' } });
    const bad = await client.version({ ...target(), secret: 'another-secret-0123456789' });
    expect(bad).toMatchObject({ ok: false, code: '1001', retryable: false });
  });

  it('treats clock skew, busy answers and 5xx as retryable and keeps the exchange', async () => {
    const fast = new ProvincialClient({ clock: new ManualClock(new Date('2026-03-10T04:10:00Z')) });
    expect(await fast.version(target())).toMatchObject({ ok: false, code: '1002', retryable: true });
    fake.state.fail({ times: 1, status: 503 });
    const down = await client.dictionary(target());
    expect(down).toMatchObject({ ok: false, code: 'http_503', retryable: true });
    expect(down.exchange.targetUrl).toBe(`${fake.url}/prp/v1/dictionary`);
    fake.state.fail({ times: 1, status: 200, code: 2001 });
    expect(await client.dictionary(target())).toMatchObject({ ok: false, code: '2001', retryable: false });
    const lists = await client.dictionary(target());
    expect(lists.ok && lists.value.collectItem.length).toBeGreaterThan(3);
  });

  it('reports an unreachable platform as retryable', async () => {
    const gone = await client.version({ ...target(), baseUrl: 'http://127.0.0.1:9' });
    expect(gone).toMatchObject({ ok: false, code: 'connection', retryable: true });
  });
});
