import { ConfigError, loadConfig } from './index';

const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
};

describe('configuration', () => {
  it('runs the embedded default: port 3000, ./.data, local Redis, demo mode off unless chosen', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      PORT: 3000,
      WD_DATA_DIR: './.data',
      REDIS_URL: 'redis://127.0.0.1:6379',
      WD_DEMO: false,
      demoChosenBy: null,
      publicUrl: 'http://localhost:3000',
    });
    expect(c.DATABASE_URL).toBeUndefined();
  });

  it('turns demo mode on only by explicit choice: WD_DEMO=true, or the start script', () => {
    expect(loadConfig({ WD_DEMO: 'true' })).toMatchObject({ WD_DEMO: true, demoChosenBy: 'WD_DEMO' });
    expect(loadConfig({}, { demoByDefault: true })).toMatchObject({
      WD_DEMO: true,
      demoChosenBy: 'npm start',
    });
    expect(loadConfig({ WD_DEMO: 'false' }, { demoByDefault: true })).toMatchObject({ WD_DEMO: false });
    // No WeChat credentials no longer means demo.
    expect(loadConfig({ WECHAT_APPID: '', NODE_ENV: 'development' }).WD_DEMO).toBe(false);
  });

  it('refuses demo mode under NODE_ENV=production, naming the key', () => {
    expect(problems({ NODE_ENV: 'production', WD_DEMO: 'true' })).toEqual([
      expect.stringMatching(/^WD_DEMO=true: NODE_ENV=production 下不允许演示模式/),
    ]);
    expect(() => loadConfig({ NODE_ENV: 'production' }, { demoByDefault: true })).toThrow(/WD_DEMO/);
    expect(loadConfig({ NODE_ENV: 'production', WD_DEMO: 'false' }, { demoByDefault: true }).WD_DEMO).toBe(
      false,
    );
    expect(loadConfig({ NODE_ENV: 'production' }).WD_DEMO).toBe(false);
  });

  it('refuses a bad value and names the key and the rule', () => {
    expect(problems({ PORT: 'eighty' })).toEqual([expect.stringMatching(/^PORT="eighty": /)]);
    expect(problems({ PORT: '70000' })[0]).toMatch(/^PORT=/);
    expect(problems({ LOGIN_MAX_FAILURES: '0' })[0]).toMatch(/^LOGIN_MAX_FAILURES="0": 必须大于 0/);
    expect(problems({ DEFAULT_TIME_ZONE: 'Mars/Olympus' })[0]).toMatch(/DEFAULT_TIME_ZONE.*IANA/);
    expect(problems({ REDIS_AUTOSTART: 'maybe' })[0]).toMatch(/^REDIS_AUTOSTART=/);
  });

  it('names every bad key at once', () => {
    expect(problems({ PORT: 'x', BODY_LIMIT_KB: '-1' }).map((p) => p.split('=')[0])).toEqual([
      'PORT',
      'BODY_LIMIT_KB',
    ]);
  });

  it('never prints the value of a secret key it refuses', () => {
    const [p] = problems({ DATABASE_URL: 'mysql://root:hunter2@db/wattdesk' });
    expect(p).toMatch(/^DATABASE_URL=\(hidden\)/);
    expect(p).not.toContain('hunter2');
  });

  it('refuses a WeChat appid without its secret, and leaves demo mode when credentials are given', () => {
    expect(problems({ WECHAT_APPID: 'wx1234567890abcdef' })[0]).toMatch(/WECHAT_APPID \/ WECHAT_SECRET/);
    const c = loadConfig({ WECHAT_APPID: 'wx1234567890abcdef', WECHAT_SECRET: 's' });
    expect(c.WD_DEMO).toBe(false);
  });

  it('treats an empty value as unset, and reads booleans and numbers from text', () => {
    const c = loadConfig({ PORT: '', TRUST_PROXY: 'yes', WECHAT_TIMEOUT_MS: '2500' });
    expect(c).toMatchObject({ PORT: 3000, TRUST_PROXY: true, WECHAT_TIMEOUT_MS: 2500 });
  });
});
