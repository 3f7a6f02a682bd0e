// The embedded MQTT broker (aedes), run in a worker thread: aedes is an ES module that the BFF's
// CommonJS build (and jest) cannot load in-process, and a worker keeps broker I/O off the HTTP loop.
// Authentication is asked of the main thread (the device registry); the answer carries the topic
// prefix the client may use, which this worker then enforces on every publish and subscribe.
import net from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { Aedes } from 'aedes';

const { port, host, redisUrl, redisPrefix } = workerData;
const pending = new Map();
let seq = 0;

function ask(request) {
  const id = ++seq;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    parentPort.postMessage({ ...request, t: 'auth', id });
  });
}

parentPort.on('message', (msg) => {
  if (msg.t === 'decision') {
    const resolve = pending.get(msg.id);
    pending.delete(msg.id);
    resolve?.(msg);
  } else if (msg.t === 'close') {
    void shutdown();
  }
});

let persistence;
if (redisUrl) {
  const { default: Redis } = await import('ioredis');
  const { default: redisPersistence } = await import('aedes-persistence-redis');
  // Stored QoS 1 packets expire after a day: device answers have deadlines of seconds, and without a
  // TTL the persistence leaves some packet keys behind for good.
  persistence = redisPersistence({
    conn: new Redis(redisUrl, { keyPrefix: redisPrefix }),
    packetTTL: () => 86_400,
  });
}

const broker = await Aedes.createBroker({
  id: `wd-embedded-${port}`,
  persistence,
  authenticate: (client, username, password, done) => {
    ask({
      clientId: client.id,
      username: username ?? '',
      password: password ? password.toString('utf8') : '',
    })
      .then((d) => {
        if (!d.allow) {
          const err = new Error('bad username or password');
          err.returnCode = 4;
          return done(err, false);
        }
        client.wdAccess = { superuser: d.superuser, prefix: d.prefix };
        done(null, true);
      })
      .catch((err) => done(err, false));
  },
  authorizePublish: (client, packet, done) => {
    // client is null for the broker's own publishes (a device's last will goes through here with its client).
    if (!client || client.wdAccess?.superuser) return done(null);
    const prefix = client.wdAccess?.prefix;
    if (prefix && packet.topic.startsWith(prefix)) return done(null);
    done(new Error(`publish to ${packet.topic} not allowed`));
  },
  authorizeSubscribe: (client, sub, done) => {
    if (client.wdAccess?.superuser) return done(null, sub);
    const prefix = client.wdAccess?.prefix;
    if (prefix && sub.topic.startsWith(prefix)) return done(null, sub);
    done(null, null);
  },
});

// Nobody is connected to a broker that has just started, so a retained device status "online" kept from
// before (sessions and retained messages live in Redis) is stale: its device's session ended with the
// old broker. Play that session's will before anyone connects: the retained status becomes "offline"
// with the same session `ts` (a bare string stays a bare string). Presence then comes from the broker:
// devices that reconnect publish "online" with a newer `ts`, the others stay offline.
function offlineOf(payload) {
  const text = payload.toString('utf8').trim();
  if (text === 'online' || text === '"online"') return Buffer.from('offline');
  try {
    const msg = JSON.parse(text);
    if (msg && typeof msg === 'object' && msg.status === 'online')
      return Buffer.from(JSON.stringify({ ...msg, status: 'offline' }));
  } catch {
    // not JSON: not a status this broker can end
  }
  return null;
}
const stale = [];
for await (const packet of broker.persistence.createRetainedStream('+/+/status')) {
  const payload = offlineOf(packet.payload);
  if (payload) stale.push({ topic: packet.topic, payload });
}
for (const { topic, payload } of stale) {
  await new Promise((resolve) =>
    broker.publish({ cmd: 'publish', topic, payload, qos: 1, retain: true, dup: false }, null, resolve),
  );
}

// Small request/answer packets: without TCP_NODELAY, Nagle + delayed ACK add ~40 ms per hop.
const server = net.createServer({ noDelay: true }, broker.handle);
server.on('error', (err) => parentPort.postMessage({ t: 'error', message: err.message }));
server.listen(port, host, () => parentPort.postMessage({ t: 'ready', port: server.address().port }));

async function shutdown() {
  const closed = new Promise((resolve) => server.close(() => resolve()));
  await new Promise((resolve) => broker.close(() => resolve()));
  await closed;
  await persistence?.destroy?.();
  parentPort.postMessage({ t: 'closed' });
}
