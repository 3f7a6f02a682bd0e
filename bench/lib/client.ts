/** A tiny JSON client for the BFF under test (fetch keeps connections alive). */
export class Api {
  constructor(
    readonly base: string,
    private token = '',
  ) {}

  /** Registers an organization and signs its admin in; returns the organization id. */
  async signUp(name: string, password: string): Promise<number> {
    const reg = await this.call('POST', '/api/users', {
      Usr_Name: name,
      Usr_Password: password,
      Usr_Email: `${name}@example.cn`,
      Usr_Company: `${name} 公司`,
    });
    const res = await this.call('POST', '/api/auth', { Usr_Name: name, Usr_Password: password });
    this.token = res.Data[0].Usr_Token;
    return Number(reg.Data[0].Org_ID);
  }

  /** Calls an endpoint; throws with the answer when `Err_No` is not "0". */
  async call(method: string, path: string, body?: unknown): Promise<any> {
    const res = await this.raw(method, path, body);
    const json = (await res.json()) as any;
    if (json.Err_No !== '0') throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  }

  /** GET with query parameters. */
  async get(path: string, query: Record<string, string>): Promise<any> {
    return this.call('GET', `${path}?${new URLSearchParams(query)}`);
  }

  async raw(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(this.base + path, {
      method,
      headers: {
        ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }
}
