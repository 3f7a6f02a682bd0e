import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: '必须是 true 或 false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number().int('必须是整数').min(0).max(65535);
const positiveInt = z.coerce.number().int('必须是整数').positive('必须大于 0');
const url = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    `必须是 ${protocols.join(' / ')} URL`,
  );

/**
 * Restart-only settings, read from the environment once at boot. Settings that users edit live in the
 * database, not here. Every key has a default that runs the embedded demo on a fresh machine.
 */
const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: port.default(3000),
  PUBLIC_URL: url(['http:', 'https:']).optional(),
  WD_DATA_DIR: z.string().min(1).default('./.data'),
  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  DATABASE_POOL_SIZE: positiveInt.default(10),
  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  REDIS_AUTOSTART: bool.default(true),
  REDIS_KEY_PREFIX: z.string().default('wd:'),
  MQTT_URL: url(['mqtt:', 'mqtts:', 'tcp:', 'ws:', 'wss:']).optional(),
  WD_MQTT_PORT: port.default(1884),
  /** embedded aedes broker, external MQTT_URL, or off (the default for NODE_ENV=test without MQTT_URL). */
  WD_MQTT_MODE: z.enum(['embedded', 'external', 'off']).optional(),
  /** The broker address devices are told to connect to (default: PUBLIC_URL's host + WD_MQTT_PORT, or MQTT_URL without its credentials). */
  WD_MQTT_DEVICE_URL: url(['mqtt:', 'mqtts:', 'tcp:', 'ws:', 'wss:']).optional(),
  /** Password of the BFF's own broker clients (user `wd-bff`); random per process when unset. */
  WD_MQTT_PASSWORD: z.string().min(16, '至少 16 位').optional(),
  /** How long a device has to answer a command (ms); the HTTP answer comes within it. */
  DEVICE_RPC_TIMEOUT_MS: positiveInt.max(60_000).default(5000),
  WD_ADMIN_USER: z.string().min(3).default('admin'),
  WD_ADMIN_PASSWORD: z.string().min(8, '至少 8 位').optional(),
  WD_DEMO: bool.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_KB: positiveInt.default(1024),
  UPLOAD_LIMIT_KB: positiveInt.default(5120),
  SESSION_TTL_HOURS: positiveInt.default(72),
  LOGIN_MAX_FAILURES: positiveInt.default(5),
  LOGIN_LOCK_MINUTES: positiveInt.default(15),
  RATE_LIMIT_PER_MINUTE: positiveInt.default(600),
  /** Behind a reverse proxy: take the client IP (rate limits, audit) from X-Forwarded-For. */
  TRUST_PROXY: bool.default(false),
  CORS_ORIGINS: z.string().default('http://localhost:10086,http://127.0.0.1:10086'),
  SHUTDOWN_GRACE_MS: positiveInt.default(10000),
  DEFAULT_TIME_ZONE: z
    .string()
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, '不是有效的 IANA 时区')
    .default('Asia/Shanghai'),
  WECHAT_APPID: z.string().optional(),
  WECHAT_SECRET: z.string().optional(),
  WECHAT_API_BASE: url(['http:', 'https:']).default('https://api.weixin.qq.com'),
  WECHAT_ALARM_TEMPLATE_ID: z.string().optional(),
  /** Per-request timeout of WeChat API calls (ms). */
  WECHAT_TIMEOUT_MS: positiveInt.max(60_000).default(5000),
  /** Port of demo mode's in-process fake WeChat server (0 = any free port). */
  WD_FAKE_WECHAT_PORT: port.default(0),
  /** PostgreSQL schema of the durable job queue (pg-boss); several test apps on one database use their own. */
  WD_JOBS_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,40}$/, '小写字母、数字或下划线')
    .default('pgboss'),
  /** Whether this process polls for jobs and runs cron/maintenance (tests drain queues by hand instead). */
  WD_JOB_WORKERS: bool.default(true),
  /** Shared secret an external broker sends to the /mqtt/auth|acl|superuser hook (`Authorization: Bearer …`). */
  WD_MQTT_HOOK_SECRET: z.string().min(16, '至少 16 位').optional(),
  /** Networks (CIDR, comma-separated, or `none`) whose direct, un-proxied requests may use the hook without the secret. */
  WD_MQTT_HOOK_NETWORKS: z
    .string()
    .refine(
      (v) => v === 'none' || v.split(',').every((c) => /^[0-9a-fA-F:.]+\/\d{1,3}$/.test(c.trim())),
      '必须是逗号分隔的 CIDR（如 10.0.0.0/8,::1/128）或 none',
    )
    .default('127.0.0.0/8,::1/128'),
  /** External broker: shared-subscription group of the BFF instances (`$share/{group}/…`); `none` = plain subscriptions. */
  WD_MQTT_SHARE_GROUP: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, '只能包含字母、数字、_ 和 -（1–64 位）')
    .default('wd-bff'),
  /** External broker: MQTT 5 session expiry of each BFF instance's persistent session (s). */
  WD_MQTT_SESSION_EXPIRY_SEC: z.coerce.number().int('必须是整数').min(0).max(604_800).default(3600),
  /** Lets the demo's WeChat simulation (/h5_demo/*) answer callers off this machine (`X-Demo-Secret`). */
  WD_DEMO_SECRET: z.string().min(16, '至少 16 位').optional(),
  /** Alarm email: SMTP server (smtp:// or smtps://, credentials in the URL); demo mode uses a local sink. */
  SMTP_URL: url(['smtp:', 'smtps:']).optional(),
  ALARM_MAIL_FROM: z.string().default('WattDesk 告警 <alarms@wattdesk.local>'),
  /** Alarm SMS: the gateway adapter's base URL (contract: bff/src/adapters/sms/README.md); demo mode uses the fake. */
  SMS_API_BASE: url(['http:', 'https:']).optional(),
  SMS_API_KEY: z.string().optional(),
  SMS_SIGN_NAME: z.string().default('能管通'),
  SMS_ALARM_TEMPLATE: z.string().default('SMS_ALARM_001'),
  /** How long one delivery attempt holds its delivery; after a crash another worker takes it over then. */
  ALARM_DELIVERY_CLAIM_SECONDS: positiveInt.max(3600).default(60),
  /** The mini-program page an alarm push opens (`?id=<alarm id>` is appended). */
  ALARM_PUSH_PAGE: z.string().default('pkg-alarms/detail/index'),
  // --- WeChat Pay (issue 11 item 5; bff/src/adapters/wechatpay). Unset WECHATPAY_MCHID: demo mode uses
  // its fake, otherwise paying is off (the pay endpoints answer 503-style upstream errors).
  WECHATPAY_MCHID: z
    .string()
    .regex(/^\d{6,32}$/, '必须是 6–32 位数字')
    .optional(),
  /** The appid orders are made for (default WECHAT_APPID). */
  WECHATPAY_APPID: z.string().optional(),
  WECHATPAY_API_BASE: url(['http:', 'https:']).default('https://api.mch.weixin.qq.com'),
  /** Merchant API certificate serial (`openssl x509 -in apiclient_cert.pem -noout -serial`). */
  WECHATPAY_MCH_SERIAL: z
    .string()
    .regex(/^[0-9A-Fa-f]{8,64}$/, '必须是十六进制证书序列号')
    .optional(),
  /** Path of the merchant API private key apiclient_key.pem. */
  WECHATPAY_PRIVATE_KEY_FILE: z.string().optional(),
  /** APIv3 key (32 characters). */
  WECHATPAY_API_V3_KEY: z.string().length(32, '必须是 32 个字符').optional(),
  /** Public-key mode: `PUB_KEY_ID_…` and the path of pub_key.pem (without them: platform certificates). */
  WECHATPAY_PUBLIC_KEY_ID: z
    .string()
    .regex(/^PUB_KEY_ID_\w+$/, '必须以 PUB_KEY_ID_ 开头')
    .optional(),
  WECHATPAY_PUBLIC_KEY_FILE: z.string().optional(),
  /** Public base URL WeChat Pay posts notifications to (https; default PUBLIC_URL). */
  WECHATPAY_NOTIFY_BASE: url(['http:', 'https:']).optional(),
  /** How long a payment order stays open before it is closed (s; WeChat Pay's minimum is 60). */
  WECHATPAY_ORDER_TTL_SECONDS: positiveInt.min(60).max(7_200).default(900),
  WECHATPAY_TIMEOUT_MS: positiveInt.max(60_000).default(5000),
  /** Port of demo mode's in-process fake WeChat Pay server (0 = any free port). */
  WD_FAKE_WECHATPAY_PORT: port.default(0),
  /** Charging: lifetime of an operator token from /platform/management/operatorAPIToken (s). */
  CHARGING_TOKEN_TTL_SEC: positiveInt.max(86_400).default(7200),
  /** Charging: how far an operator's Datetime header may be from the server clock (s). */
  CHARGING_CLOCK_SKEW_SEC: positiveInt.max(3600).default(300),
  // --- charging callbacks (features/charging-callbacks) ---
  /**
   * Networks (comma-separated CIDRs, e.g. `10.8.0.0/16,127.0.0.1/32`) an operator's callback URL may
   * reach although they are loopback, link-local or private; empty: none (public addresses only).
   */
  CHARGING_CALLBACK_ALLOWED_NETWORKS: z.string().default(''),
  /** Plain http:// callback URLs (demo mode allows them anyway); for tests and closed networks only. */
  CHARGING_CALLBACK_ALLOW_HTTP: bool.default(false),
  /** Milliseconds one callback attempt may take (connect + answer). */
  CHARGING_CALLBACK_TIMEOUT_MS: positiveInt.max(60_000).default(5000),
  /** Attempts after the first one (pg-boss retries with exponential backoff from 10 s). */
  CHARGING_CALLBACK_RETRIES: z.coerce.number().int('必须是整数').min(0).max(20).default(8),
  /** Minutes a connector may stay in status 255 (故障) before a safety warning is raised. */
  CHARGING_FAULT_WARNING_MINUTES: positiveInt.max(1440).default(5),
  /** Connector temperature (°C) above which a safety warning is raised. */
  CHARGING_MAX_TEMPERATURE_C: z.coerce.number().min(0).max(200).default(80),
  /** Provincial platform (seed 002 §5, docs/provincial-adapter.md): per-request timeout (ms). */
  PRP_TIMEOUT_MS: positiveInt.max(60_000).default(10_000),
  /** Demo mode: port of the fake provincial platform (0 = a free port). */
  WD_FAKE_PRP_PORT: port.default(0),
  // --- iSolarCloud plants (issue 12; bff/src/adapters/isolarcloud/README.md) ---
  /** iSolarCloud OpenAPI application: `appkey`, its Secret Key (`x-access-key`) and the OAuth `applicationId`. */
  ISOLARCLOUD_APPKEY: z.string().optional(),
  ISOLARCLOUD_SECRET_KEY: z.string().optional(),
  ISOLARCLOUD_APP_ID: z.string().optional(),
  /** Override of every region's API gateway (`{cloudId}` is replaced by the region's 1/2/3/7), e.g. a fake. */
  ISOLARCLOUD_API_BASE: url(['http:', 'https:']).optional(),
  /** Override of every region's OAuth web host (the authorize page), `{cloudId}` as above. */
  ISOLARCLOUD_WEB_BASE: url(['http:', 'https:']).optional(),
  /** Per-request timeout of iSolarCloud calls (ms). */
  ISOLARCLOUD_TIMEOUT_MS: positiveInt.max(60_000).default(10_000),
  /** Calls this application may make per hour (all organizations together); past it calls wait for the next hour. */
  ISOLARCLOUD_HOURLY_QUOTA: positiveInt.max(1_000_000).default(1000),
  /** Port of demo mode's fake iSolarCloud server (0 = any free port). */
  WD_FAKE_ISOLARCLOUD_PORT: port.default(0),
  /** Key (≥ 32 characters) encrypting stored third-party tokens and passwords; required in production. */
  WD_SECRETS_KEY: z.string().min(32, '至少 32 位').optional(),
});

export type Config = Omit<z.output<typeof schema>, 'WD_DEMO'> & {
  /** Demo mode: fake external services and demo data; only by explicit choice (WD_DEMO=true or `npm start`). */
  WD_DEMO: boolean;
  /** Who turned demo mode on: the `WD_DEMO` key, the start script (`npm start`), or nobody (off). */
  demoChosenBy: 'WD_DEMO' | 'npm start' | null;
  /** The URL the process prints and links from (PUBLIC_URL or http://localhost:PORT). */
  publicUrl: string;
};

/** Raised when the environment holds a bad value; the message names every bad key. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`配置错误 (invalid configuration):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Keys whose values must never be printed. */
export const secretKeys = [
  'DATABASE_URL',
  'REDIS_URL',
  'MQTT_URL',
  'WD_MQTT_PASSWORD',
  'WD_ADMIN_PASSWORD',
  'WECHAT_SECRET',
  'WD_MQTT_HOOK_SECRET',
  'WD_DEMO_SECRET',
  'SMTP_URL',
  'SMS_API_KEY',
  'WECHATPAY_API_V3_KEY',
  'ISOLARCLOUD_SECRET_KEY',
  'WD_SECRETS_KEY',
] as const;

export interface LoadOptions {
  /** Demo mode when WD_DEMO is not set: the start script's choice (`npm start` passes `--demo`). */
  demoByDefault?: boolean;
}

/** Parse and validate the environment; throws ConfigError naming each bad key. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, opts: LoadOptions = {}): Config {
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const key = String(i.path[0] ?? '');
        const shown = (secretKeys as readonly string[]).includes(key)
          ? '(hidden)'
          : JSON.stringify(input[key]);
        return `${key}=${shown}: ${i.message}`;
      }),
    );
  }
  const c = parsed.data;
  const problems: string[] = [];
  if (Boolean(c.WECHAT_APPID) !== Boolean(c.WECHAT_SECRET)) {
    problems.push('WECHAT_APPID / WECHAT_SECRET: 必须同时设置或同时不设置');
  }
  if (
    c.WECHATPAY_MCHID &&
    (!c.WECHATPAY_MCH_SERIAL || !c.WECHATPAY_PRIVATE_KEY_FILE || !c.WECHATPAY_API_V3_KEY)
  ) {
    problems.push(
      'WECHATPAY_MCHID: 还需要 WECHATPAY_MCH_SERIAL、WECHATPAY_PRIVATE_KEY_FILE 与 WECHATPAY_API_V3_KEY',
    );
  }
  if (Boolean(c.WECHATPAY_PUBLIC_KEY_ID) !== Boolean(c.WECHATPAY_PUBLIC_KEY_FILE)) {
    problems.push('WECHATPAY_PUBLIC_KEY_ID / WECHATPAY_PUBLIC_KEY_FILE: 必须同时设置或同时不设置');
  }
  const demoChosenBy =
    c.WD_DEMO === undefined ? (opts.demoByDefault ? 'npm start' : null) : c.WD_DEMO ? 'WD_DEMO' : null;
  if (demoChosenBy && c.NODE_ENV === 'production') {
    problems.push(
      `WD_DEMO=${c.WD_DEMO === undefined ? '(npm start 默认选择演示模式)' : String(env.WD_DEMO)}: NODE_ENV=production 下不允许演示模式（公开的演示账号与模拟微信登录）；设置 WD_DEMO=false，或用 npm run serve 启动`,
    );
  }
  if (problems.length) throw new ConfigError(problems);
  return {
    ...c,
    WD_DEMO: demoChosenBy !== null,
    demoChosenBy,
    publicUrl: c.PUBLIC_URL ?? `http://localhost:${c.PORT}`,
  };
}
