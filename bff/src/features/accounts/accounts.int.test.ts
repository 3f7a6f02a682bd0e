import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildMember, buildOrg } from '../../../../test/support/builders';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('accounts (seed 002 §1)', () => {
  it('registers, logs in and reads the profile with the returned token', async () => {
    const admin = await buildOrg(app);
    const res = await app.http.get('/api/users').set(admin.auth).expect(200);
    expect(res.body).toMatchObject({ Err_No: '0', Err_Msg: 'ok', Total_Numbers: 1 });
    expect(res.body.Data[0]).toMatchObject({ id: admin.id, Usr_Name: admin.name, Usr_Role: 'admin' });
  });

  it('revokes the token at once on logout', async () => {
    const admin = await buildOrg(app);
    await app.http.get('/api/users').set(admin.auth).expect(200); // warms the session cache
    await app.http.delete('/api/auth').set(admin.auth).expect(200);
    const res = await app.http.get('/api/users').set(admin.auth).expect(401);
    expect(res.body.Err_No).toBe('4101');
  });

  it('rejects an extra field with 4103 naming it, and creates nothing', async () => {
    const res = await app.http
      .post('/api/users')
      .send({
        Usr_Name: 'extra_field_user',
        Usr_Password: 'Passw0rd!x',
        Usr_Email: 'x@example.cn',
        Is_Admin: true,
      })
      .expect(400);
    expect(res.body).toMatchObject({ Err_No: '4103', Err_Detail: { field: 'Is_Admin' } });
    await app.http
      .post('/api/auth')
      .send({ Usr_Name: 'extra_field_user', Usr_Password: 'Passw0rd!x' })
      .expect(401);
  });

  it('answers 404 when an admin edits a user of another organization', async () => {
    const a = await buildOrg(app);
    const b = await buildOrg(app);
    const res = await app.http
      .put('/api/users')
      .set(a.auth)
      .send({ id: b.id, Usr_Name: b.name, Usr_Email: 'stolen@example.cn' })
      .expect(404);
    expect(res.body.Err_No).toBe('4002');
    const profile = await app.http.get('/api/users').set(b.auth).expect(200);
    expect(profile.body.Data[0].Usr_Email).not.toBe('stolen@example.cn');
  });

  it('refuses member management to a viewer with 4105', async () => {
    const admin = await buildOrg(app);
    const viewer = await buildMember(app, admin, 'viewer');
    const res = await app.http.get('/api/org_users').set(viewer.auth).expect(403);
    expect(res.body.Err_No).toBe('4105');
  });
});
