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
});

export type Config = Omit<z.output<typeof schema>, 'WD_DEMO'> & {
  /** Demo mode: fake external services and demo data, on when no WeChat credentials are given. */
  WD_DEMO: boolean;
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
] as const;

/** Parse and validate the environment; throws ConfigError naming each bad key. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
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
  if (problems.length) throw new ConfigError(problems);
  const demo = c.WD_DEMO ?? !c.WECHAT_APPID;
  return {
    ...c,
    WD_DEMO: demo,
    publicUrl: c.PUBLIC_URL ?? `http://localhost:${c.PORT}`,
  };
}
