import { sql } from 'drizzle-orm';
import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildMember, buildOrg } from '../../../../test/support/builders';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('organization members, roles and the audit log', () => {
  it('lists only the caller’s organization, paged, with the total before paging', async () => {
    const a = await buildOrg(app);
    await buildMember(app, a, 'viewer');
    await buildMember(app, a, 'operator');
    const b = await buildOrg(app);
    await buildMember(app, b, 'viewer');
    const page = await app.http.get('/api/org_users?Per_Page_Counts=2&Page_Counts=1').set(a.auth).expect(200);
    expect(page.body.Total_Numbers).toBe(3);
    expect(page.body.Data).toHaveLength(2);
    const second = await app.http
      .get('/api/org_users?Per_Page_Counts=2&Page_Counts=2')
      .set(a.auth)
      .expect(200);
    const names = [...page.body.Data, ...second.body.Data].map((u: { Usr_Name: string }) => u.Usr_Name);
    expect(names).toHaveLength(3);
    expect(names).toContain(a.name);
    expect(names).not.toContain(b.name);
  });

  it('applies a role change on the very next request and records it as a permission change', async () => {
    const admin = await buildOrg(app);
    const viewer = await buildMember(app, admin, 'viewer');
    await app.http.get('/api/audit_logs').set(viewer.auth).expect(403); // caches the viewer's role
    await app.http
      .put('/api/org_users')
      .set(admin.auth)
      .send({ id: viewer.id, Usr_Role: 'viewer', Usr_Grants: ['audit.read'] })
      .expect(200);
    const trail = await app.http.get('/api/audit_logs').set(viewer.auth).expect(200);
    const change = trail.body.Data.find(
      (e: { Action: string; Target: string }) =>
        e.Action === 'permission.change' && e.Target === `user:${viewer.id}`,
    );
    expect(change).toMatchObject({
      Actor_ID: admin.id,
      Detail: { from: { role: 'viewer', grants: [] }, to: { role: 'viewer', grants: ['audit.read'] } },
    });
    expect(change.Time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it('shows an organization only its own audit entries', async () => {
    const a = await buildOrg(app);
    const b = await buildOrg(app);
    await app.http.post('/api/auth').send({ Usr_Name: b.name, Usr_Password: 'wrong-password' }).expect(401);
    const trail = await app.http.get('/api/audit_logs?Per_Page_Counts=1000').set(a.auth).expect(200);
    const foreign = trail.body.Data.filter((e: { Actor_ID: number | null }) => e.Actor_ID === b.id);
    expect(foreign).toEqual([]);
    const [{ n }] = (await app.deps.database.rows<{ n: number }>(
      sql`select count(*)::int as n from audit_log where org_id = ${a.orgId}`,
    )) as [{ n: number }];
    expect(trail.body.Total_Numbers).toBe(n);
  });

  it('answers two simultaneous creations of one name with one success and one 4003, never a 500', async () => {
    const admin = await buildOrg(app);
    const body = {
      Usr_Name: `twin_${admin.id}`,
      Usr_Password: 'Passw0rd!!',
      Usr_Email: 't@example.cn',
      Usr_Role: 'viewer',
    };
    const answers = await Promise.all([
      app.http.post('/api/org_users').set(admin.auth).send(body),
      app.http.post('/api/org_users').set(admin.auth).send(body),
      app.http
        .post('/api/users')
        .send({ Usr_Name: body.Usr_Name, Usr_Password: 'Passw0rd!!', Usr_Email: 't@example.cn' }),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    for (const r of answers.filter((x) => x.status === 409)) expect(r.body.Err_No).toBe('4003');
    const rows = await app.deps.database.rows(
      sql`select id from users where lower(name) = lower(${body.Usr_Name})`,
    );
    expect(rows).toHaveLength(1);
  });

  it('lists the declared permissions with the roles holding them', async () => {
    const user = await buildOrg(app);
    const res = await app.http.get('/api/permissions').set(user.auth).expect(200);
    expect(res.body.Data).toEqual(
      expect.arrayContaining([{ Name: 'users.manage', Description: expect.any(String), Roles: ['admin'] }]),
    );
  });

  it('lets a user edit their own profile, keeping what they did not send', async () => {
    const user = await buildOrg(app);
    await app.http
      .put('/api/users')
      .set(user.auth)
      .send({
        id: String(user.id),
        Usr_Name: user.name,
        Usr_Email: 'new@example.cn',
        Usr_Province: '江苏省',
        Usr_City: '常州市',
      })
      .expect(200);
    const res = await app.http.get('/api/users').set(user.auth).expect(200);
    expect(res.body.Data[0]).toMatchObject({
      Usr_Email: 'new@example.cn',
      Usr_Province: '江苏省',
      Usr_City: '常州市',
      Usr_Company: expect.stringContaining('公司'),
    });
  });
});
