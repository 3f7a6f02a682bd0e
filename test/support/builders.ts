import crypto from 'node:crypto';
import type { Role } from '@wattdesk/shared';
import type { TestApp } from './app';

export interface TestUser {
  id: number;
  orgId: number;
  name: string;
  password: string;
  token: string;
  role: Role;
  auth: { Authorization: string };
}

const uniqueName = (prefix: string) => `${prefix}_${crypto.randomBytes(5).toString('hex')}`;

/** A random client address: per-IP rate limits (register 10/min, login 20/min) then count per test tenant. */
export const randomIp = () => `10.${[0, 0, 0].map(() => crypto.randomInt(1, 255)).join('.')}`;

/** Registers a new organization through the API and signs its admin in: every test gets its own tenant. */
export async function buildOrg(app: TestApp, opts: { company?: string } = {}): Promise<TestUser> {
  const name = uniqueName('org');
  const password = 'Passw0rd!' + crypto.randomBytes(3).toString('hex');
  const ip = randomIp();
  const reg = await app.http
    .post('/api/users')
    .set('X-Forwarded-For', ip)
    .send({
      Usr_Name: name,
      Usr_Password: password,
      Usr_Email: `${name}@example.cn`,
      Usr_Company: opts.company ?? `${name} 公司`,
    })
    .expect(200);
  const orgId = Number(reg.body.Data[0].Org_ID);
  return { ...(await signIn(app, name, password, ip)), orgId };
}

/** Adds a member with a role to an organization (through the admin API) and signs them in. */
export async function buildMember(
  app: TestApp,
  admin: TestUser,
  role: Role,
  grants: string[] = [],
): Promise<TestUser> {
  const name = uniqueName(role);
  const password = 'Passw0rd!' + crypto.randomBytes(3).toString('hex');
  await app.http
    .post('/api/org_users')
    .set(admin.auth)
    .send({
      Usr_Name: name,
      Usr_Password: password,
      Usr_Email: `${name}@example.cn`,
      Usr_Role: role,
      Usr_Grants: grants,
    })
    .expect(200);
  return { ...(await signIn(app, name, password)), orgId: admin.orgId };
}

async function signIn(app: TestApp, name: string, password: string, ip = randomIp()): Promise<TestUser> {
  const res = await app.http
    .post('/api/auth')
    .set('X-Forwarded-For', ip)
    .send({ Usr_Name: name, Usr_Password: password })
    .expect(200);
  const d = res.body.Data[0];
  return {
    id: Number(d.Usr_ID),
    orgId: 0,
    name,
    password,
    token: d.Usr_Token,
    role: d.Usr_Role,
    auth: { Authorization: `Bearer ${d.Usr_Token}` },
  };
}
