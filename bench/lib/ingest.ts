import type { Api } from './client';

export interface IngestResult {
  readings: number;
  seconds: number;
  perSecond: number;
  rejected: number;
  maxRssMb: number;
}

/**
 * Sends batches over HTTP (POST /api_3/readings), one worker per gateway so each gateway's readings
 * arrive in order, and samples the BFF's RSS while it runs. Stops early after `maxSeconds` if given.
 */
export async function ingestOverHttp(
  api: Api,
  batches: Generator<{ gateway: number; readings: unknown[] }>,
  gateways: number,
  rssMb: () => number,
  maxSeconds = Infinity,
): Promise<IngestResult> {
  const queues: unknown[][][] = Array.from({ length: gateways }, () => []);
  let done = false;
  const pull = (g: number): unknown[] | undefined => {
    while (!queues[g]!.length && !done) {
      const next = batches.next();
      if (next.done) done = true;
      else queues[next.value.gateway]!.push(next.value.readings);
    }
    return queues[g]!.shift();
  };
  let readings = 0;
  let rejected = 0;
  let maxRss = rssMb();
  const sampler = setInterval(() => (maxRss = Math.max(maxRss, rssMb())), 200);
  const start = performance.now();
  const stopAt = start + maxSeconds * 1000;
  const worker = async (g: number) => {
    for (let batch = pull(g); batch && performance.now() < stopAt; batch = pull(g)) {
      const res = await api.call('POST', '/api_3/readings', { readings: batch });
      const d = res.Data[0];
      readings += Number(d.Accepted);
      rejected += Number(d.Rejected);
      if (Number(d.Rejected)) throw new Error(`readings rejected: ${JSON.stringify(d.Errors.slice(0, 3))}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: gateways }, (_, g) => worker(g)));
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - start) / 1000;
  return { readings, seconds, perSecond: readings / seconds, rejected, maxRssMb: Math.max(maxRss, rssMb()) };
}
