import crypto from 'node:crypto';
import type { Redis } from 'ioredis';

// Counts, per instance, how many copies of one exact message this instance has seen, then claims
// "copy number n" across all instances. Every instance receives every message, so the n-th copy of
// a message is claimed by exactly one of them: each transmission is processed once in the cluster,
// and a device's true duplicate (a second transmission) is still seen, as copy n+1.
const CLAIM = `
local n = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[1])
if redis.call('SET', KEYS[2] .. ':' .. n, '1', 'NX', 'EX', ARGV[1]) then return n end
return 0`;

/** Decides which BFF instance processes each message that all instances receive. */
export class MessageClaims {
  constructor(
    private readonly redis: Redis,
    private readonly instanceId: string,
    private readonly ttlSec = 3600,
  ) {}

  /** True when this instance is the one to process this copy of the message. */
  async claim(topic: string, payload: Buffer): Promise<boolean> {
    const h = crypto.createHash('sha1').update(topic).update('\n').update(payload).digest('hex');
    const n = await this.redis.eval(CLAIM, 2, `mq:n:${h}:${this.instanceId}`, `mq:c:${h}`, this.ttlSec);
    return Number(n) > 0;
  }
}
