import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig, type Config } from '@wattdesk/config';
import { buildContainer } from './container';
import { createApp } from './app';
import { RedisUnavailableError } from './infra/redis';
import { startDemo } from './demo';
import { gracefulShutdown } from './core/http/shutdown';

/** Loads `.env` from the working directory when present; real environment variables win. */
function loadDotEnv(): void {
  const file = path.resolve('.env');
  if (fs.existsSync(file)) process.loadEnvFile(file);
}

/** What SIGTERM / SIGINT does now: exit while booting, close storage once it is open, drain once serving. */
let onStop: (signal: string) => Promise<void> = async () => undefined;

/** Installs the signal handlers first thing, so a stop during a slow boot is not ignored. A second signal forces. */
function handleSignals(): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    void onStop(signal).finally(() => process.exit(0));
  };
  process.on('SIGTERM', () => handler('SIGTERM'));
  process.on('SIGINT', () => handler('SIGINT'));
}

/** Boots the BFF on its configured (or embedded default) infrastructure. */
export async function start(config: Config): Promise<void> {
  const container = await buildContainer(config);
  onStop = () => container.close();
  const { deps } = container;
  const admin = await deps.accounts.ensureAdmin(config.WD_ADMIN_USER, config.WD_ADMIN_PASSWORD);
  const demoLines = config.WD_DEMO ? await startDemo(container) : [];
  const { app } = createApp(deps);
  const server = app.listen(config.PORT, config.HOST);
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  server.keepAliveTimeout = 65_000;
  onStop = gracefulShutdown(server, config.SHUTDOWN_GRACE_MS, container.close, deps.log);
  const lines = [
    '',
    `  能管通 WattDesk 已启动: ${config.publicUrl}`,
    `  API 文档:            ${config.publicUrl}/docs`,
    `  存储:                ${deps.database.kind === 'pglite' ? `PGlite (${path.resolve(config.WD_DATA_DIR, 'pglite')})` : 'PostgreSQL'}`,
  ];
  if (admin.created) {
    lines.push(`  管理员账号:          ${config.WD_ADMIN_USER}`);
    if (admin.password) lines.push(`  管理员初始密码:      ${admin.password}   (只显示这一次，请登录后修改)`);
  }
  if (config.WD_DEMO)
    lines.push(
      `  演示模式:            已开启（${config.demoChosenBy === 'npm start' ? 'npm start 默认选择；真实安装请设 WD_DEMO=false 或用 npm run serve' : 'WD_DEMO=true'}）：外部服务为本地模拟（WeChat 等），含演示数据与公开的演示账号`,
      ...demoLines,
    );
  else lines.push('  演示模式:            关闭');
  process.stdout.write(lines.join('\n') + '\n\n');
}

if (require.main === module) {
  loadDotEnv();
  let config: Config;
  try {
    // `npm start` passes --demo: on a fresh checkout it chooses demo mode (WD_DEMO still decides when set).
    config = loadConfig(process.env, { demoByDefault: process.argv.includes('--demo') });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  handleSignals();
  start(config).catch((err) => {
    if (err instanceof RedisUnavailableError) process.stderr.write(`${err.message}\n`);
    else process.stderr.write(`启动失败: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  });
}
