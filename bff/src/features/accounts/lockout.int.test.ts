import { sql } from 'drizzle-orm';
import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildOrg, randomIp } from '../../../../test/support/builders';
import { ManualClock } from '../../infra/clock';

// Lockout after LOGIN_MAX_FAILURES (5) wrong passwords for LOGIN_LOCK_MINUTES (15), on a clock the test moves.
let app: TestApp;
const clock = new ManualClock(new Date('2026-03-02T08:00:00Z'));
beforeAll(async () => {
  app = await startTestApp({ clock });
});
afterAll(() => app.close());

const login = (name: string, password: string) =>
  app.http
    .post('/api/auth')
    .set('X-Forwarded-For', randomIp())
    .send({ Usr_Name: name, Usr_Password: password });
const SAME_MESSAGE = '用户名或密码错误（连续失败 5 次将锁定 15 分钟）';
const actions = async (userId: number) =>
  (
    await app.deps.database.rows<{ action: string }>(
      sql`select action from audit_log where actor_user_id = ${userId} order by id`,
    )
  ).map((r) => r.action);

describe('login lockout (seed 002 §1.1)', () => {
  it('locks the account on the 5th wrong password, refuses even the right one while locked, and audits each step', async () => {
    const user = await buildOrg(app);
    for (let i = 1; i <= 4; i++) {
      const res = await login(user.name, 'wrong-password').expect(401);
      expect(res.body.Err_No).toBe('4102');
      expect(res.body.Err_Msg).toBe(SAME_MESSAGE);
    }
    const locked = await login(user.name, 'wrong-password').expect(423);
    expect(locked.body.Err_No).toBe('4102');
    expect(locked.body.Err_Detail.lockedUntil).toBe('2026-03-02T08:15:00.000Z');
    await login(user.name, user.password).expect(423);
    // A session issued before the lock stops working too.
    await app.http.get('/api/users').set(user.auth).expect(401);
    expect(await actions(user.id)).toEqual([
      'user.register',
      'login.success',
      'login.failure',
      'login.failure',
      'login.failure',
      'login.failure',
      'login.locked',
      'login.refused_locked',
    ]);
  });

  it('lets the right password in once the lock has expired, and counts failures afresh', async () => {
    const user = await buildOrg(app);
    for (let i = 0; i < 5; i++) await login(user.name, 'wrong-password');
    clock.advance(15 * 60_000 + 1000);
    const ok = await login(user.name, user.password).expect(200);
    expect(ok.body.Data[0].Usr_ID).toBe(String(user.id));
    const [row] = await app.deps.database.rows<{ failed_logins: number; locked_until: Date | null }>(
      sql`select failed_logins, locked_until from users where id = ${user.id}`,
    );
    expect(row).toEqual({ failed_logins: 0, locked_until: null });
    const again = await login(user.name, 'wrong-password').expect(401);
    expect(again.body.Err_Msg).toBe(SAME_MESSAGE);
    for (let i = 0; i < 3; i++) await login(user.name, 'wrong-password').expect(401);
    await login(user.name, 'wrong-password').expect(423);
  });

  it('answers an unknown user exactly like an existing one: same message, same lockout (no user enumeration)', async () => {
    const user = await buildOrg(app);
    const unknown = `no_such_user_${user.id}`;
    const strip = (body: Record<string, unknown>) => JSON.stringify({ ...body, Err_Detail: undefined });
    for (let i = 1; i <= 5; i++) {
      const known = await login(user.name, 'wrong-password');
      const other = await login(unknown, 'wrong-password');
      expect(other.status).toBe(known.status);
      expect(strip(other.body)).toBe(strip(known.body));
      expect(other.body.Err_Detail).toEqual(known.body.Err_Detail);
      expect(known.status).toBe(i < 5 ? 401 : 423);
    }
    // Locked: even the right password of the existing user is refused, as any password of the unknown name.
    const knownLocked = await login(user.name, user.password).expect(423);
    const otherLocked = await login(unknown, user.password).expect(423);
    expect(otherLocked.body).toEqual(knownLocked.body);
    clock.advance(15 * 60_000 + 1000);
    await login(user.name, user.password).expect(200);
    await login(unknown, 'wrong-password').expect(401);
    const rows = await app.deps.database.rows<{ org_id: number | null; action: string }>(
      sql`select org_id, action from audit_log where target = 'unknown-user' order by id desc limit 2`,
    );
    expect(rows.map((r) => r.org_id)).toEqual([null, null]);
    expect(rows.map((r) => r.action)).toEqual(['login.failure', 'login.refused_locked']);
  });

  it('expires a session after SESSION_TTL_HOURS on the clock (4101)', async () => {
    const user = await buildOrg(app);
    await app.http.get('/api/users').set(user.auth).expect(200);
    clock.advance(72 * 3600_000 + 1000);
    const res = await app.http.get('/api/users').set(user.auth).expect(401);
    expect(res.body.Err_No).toBe('4101');
  });
});
