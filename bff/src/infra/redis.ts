import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Logger } from './logger';

export interface RedisHandle {
  redis: Redis;
  /** A redis-server this process started because none answered (stopped on close). */
  child?: ChildProcess;
  close(): Promise<void>;
}

async function ping(url: string, keyPrefix: string): Promise<Redis | null> {
  const redis = new Redis(url, {
    keyPrefix,
    lazyConnect: true,
    maxRetriesPerRequest: 2,
    connectTimeout: 1500,
    retryStrategy: () => null,
    // Commands issued in one event-loop tick go out in one write (every request counts its rate
    // limit in Redis: under load that is one socket write per tick instead of one per request).
    enableAutoPipelining: true,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch {
    redis.disconnect();
    return null;
  }
}

function findRedisServer(): string | null {
  const r = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** Raised when no Redis answers and none can be started; says how to get one. */
export class RedisUnavailableError extends Error {}

/**
 * Connects to REDIS_URL. When nothing answers there and `autostart` is on, starts a local
 * `redis-server` child on that port (data in `dataDir`) and connects to it.
 */
export async function connectRedis(opts: {
  url: string;
  keyPrefix: string;
  autostart: boolean;
  dataDir: string;
  log: Logger;
}): Promise<RedisHandle> {
  const first = await ping(opts.url, opts.keyPrefix);
  const finish = (redis: Redis, child?: ChildProcess): RedisHandle => {
    redis.options.retryStrategy = (times) => Math.min(times * 200, 2000);
    redis.options.maxRetriesPerRequest = 3;
    return {
      redis,
      child,
      close: async () => {
        await redis.quit().catch(() => redis.disconnect());
        if (child && child.exitCode === null) {
          child.kill('SIGTERM');
          await new Promise((r) => child.once('exit', r));
        }
      },
    };
  };
  if (first) return finish(first);
  const u = new URL(opts.url);
  const local = ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(u.hostname);
  const binary = findRedisServer();
  if (!opts.autostart || !local || !binary) {
    throw new RedisUnavailableError(
      `Redis 无法连接 (${u.hostname}:${u.port || 6379})。` +
        (binary ? '' : '本机没有 redis-server：请安装 (Debian/Ubuntu: sudo apt-get install redis-server) ') +
        '或设置 REDIS_URL 指向一个可用的 Redis。',
    );
  }
  const dir = path.resolve(opts.dataDir, 'redis');
  fs.mkdirSync(dir, { recursive: true });
  const port = u.port || '6379';
  opts.log.info({ port }, 'no Redis answered; starting a local redis-server child process');
  const child = spawn(
    binary,
    ['--port', port, '--bind', '127.0.0.1', '--dir', dir, '--save', '60 1', '--appendonly', 'yes'],
    {
      stdio: 'ignore',
    },
  );
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const redis = await ping(opts.url, opts.keyPrefix);
    if (redis) return finish(redis, child);
    if (child.exitCode !== null) break;
  }
  child.kill('SIGKILL');
  throw new RedisUnavailableError(`已尝试启动 redis-server (端口 ${port})，但它没有应答`);
}
