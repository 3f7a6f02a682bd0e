import { startTestApp, type TestApp } from '../../../../test/support/app';

const html = { Accept: 'text/html,application/xhtml+xml' };

describe('through the real app', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  test('an unknown API path still answers the 002 envelope 404 when a browser asks for HTML', async () => {
    const res = await app.http.get('/api_3/no_such_thing').set(html).expect(404);
    expect(res.body).toMatchObject({ Err_No: '4002' });
  });

  test('the WeChat simulation for the H5 build does not exist outside demo mode (404)', async () => {
    await app.http.post('/h5_demo/wx_login').send({}).expect(404);
  });
});
