import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildOrg } from '../../../../test/support/builders';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

describe('1.4 PUT /api/users refuses a phone number that is not one', () => {
  const save = async (phone: string) => {
    const user = await buildOrg(app);
    const me = (await app.http.get('/api/users').set(user.auth).expect(200)).body.Data[0];
    const res = await app.http
      .put('/api/users')
      .set(user.auth)
      .send({ id: me.id, Usr_Name: me.Usr_Name, Usr_Email: me.Usr_Email, Usr_Phone: phone });
    const after = (await app.http.get('/api/users').set(user.auth).expect(200)).body.Data[0];
    return { res, after };
  };

  it.each(['12345', '1380013800', '23800138000', '+1 555 1234', '--------', '138001380001'])(
    '%s: 400/4103 naming Usr_Phone, nothing saved',
    async (phone) => {
      const { res, after } = await save(phone);
      expect(res.status).toBe(400);
      expect(res.body.Err_No).toBe('4103');
      expect(res.body.Err_Detail.field).toBe('Usr_Phone');
      expect(after.Usr_Phone).toBe('');
    },
  );

  it.each([
    ['13800138000', '13800138000'],
    ['+86 138 0013 8000', '+8613800138000'],
    ['0755-12345678', '0755-12345678'],
  ])('%s is kept as %s', async (phone, stored) => {
    const { res, after } = await save(phone);
    expect(res.status).toBe(200);
    expect(after.Usr_Phone).toBe(stored);
  });
});
