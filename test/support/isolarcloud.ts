import type { ManualClock } from '../../bff/src/infra/clock';
import { DEMO_PLANTS, DEMO_ISOLAR_ACCOUNT, DEMO_ISOLAR_PASSWORD } from '../../bff/src/fakes/isolarcloud/demo';
import { startFakeIsolarCloud, type FakeIsolarCloud } from '../../bff/src/fakes/isolarcloud/server';
import { DEMO_APP, type FakeIsolarOptions } from '../../bff/src/fakes/isolarcloud/state';
import type { PlantsApi } from '../../bff/src/features/plants/feature';
import type { TestApp } from './app';
import type { TestUser } from './builders';

/** A fake iSolarCloud on the test's clock with the demo account, and the env that points a test app at it. */
export async function startTestIsolarCloud(
  clock: ManualClock,
  opts: FakeIsolarOptions = {},
): Promise<{ fake: FakeIsolarCloud; env: Record<string, string> }> {
  const fake = await startFakeIsolarCloud({ now: () => clock.now().getTime(), ...opts });
  fake.state.addUser({ account: DEMO_ISOLAR_ACCOUNT, password: DEMO_ISOLAR_PASSWORD, plants: DEMO_PLANTS });
  return {
    fake,
    env: {
      ISOLARCLOUD_APPKEY: DEMO_APP.appkey,
      ISOLARCLOUD_SECRET_KEY: DEMO_APP.accessKey,
      ISOLARCLOUD_APP_ID: DEMO_APP.appId,
      ISOLARCLOUD_API_BASE: fake.apiBase,
      ISOLARCLOUD_WEB_BASE: fake.webBase,
      ISOLARCLOUD_TIMEOUT_MS: '5000',
    },
  };
}

/** The plants feature's api of a test app. */
export const plantsOf = (app: TestApp) =>
  (app.platform.registry.api as (name: string) => PlantsApi)('plants');

/** Connects an organization through the OAuth flow: authorize, the owner approves on the fake, the public callback. */
export async function connectOAuth(
  app: TestApp,
  fake: FakeIsolarCloud,
  admin: TestUser,
  account = DEMO_ISOLAR_ACCOUNT,
) {
  const start = await app.http
    .post('/api_3/pv_connection_authorize')
    .set(admin.auth)
    .send({ Region: 1 })
    .expect(200);
  const { Authorize_Url, Ticket } = start.body.Data[0] as { Authorize_Url: string; Ticket: string };
  const hash = new URLSearchParams(Authorize_Url.split('#/authorized-app?')[1]);
  const approved = fake.state.authorize({
    applicationId: hash.get('applicationId')!,
    redirectUrl: hash.get('redirectUrl')!,
    account,
  })!;
  const back = new URL(approved.redirect);
  expect(back.searchParams.get('Ticket')).toBe(Ticket);
  return app.http
    .get('/api_3/pv_connection_callback')
    .query({ Ticket, code: back.searchParams.get('code') })
    .expect(200);
}

/** Connects an organization with the legacy account/password login. */
export function connectLegacy(
  app: TestApp,
  admin: TestUser,
  account = DEMO_ISOLAR_ACCOUNT,
  password = DEMO_ISOLAR_PASSWORD,
) {
  return app.http
    .post('/api_3/pv_connection_login')
    .set(admin.auth)
    .send({ Region: 1, Account: account, Password: password });
}
