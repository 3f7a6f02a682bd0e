import type { Api } from './client';

export interface IngestResult {
  readings: number;
  seconds: number;
  perSecond: number;
  maxRssMb: number;
}

/** Stores one batch; answers how many readings were accepted and rejected. */
export type Sender = (
  readings: unknown[],
) => Promise<{ accepted: number; rejected: number; errors: unknown[] }>;

/** A sender over HTTP: POST /api_3/readings. */
export const httpSender =
  (api: Api): Sender =>
  async (readings) => {
    const d = (await api.call('POST', '/api_3/readings', { readings })).Data[0];
    return { accepted: Number(d.Accepted), rejected: Number(d.Rejected), errors: d.Errors };
  };

/**
 * Sends every batch, one worker per gateway so each gateway's readings arrive in time order (as a real
 * gateway sends them), and samples the BFF's RSS while it runs. A rejected reading stops the run.
 */
export async function ingestBatches(
  send: Sender,
  batches: Iterator<{ gateway: number; readings: unknown[] }>,
  gateways: number,
  rssMb: () => number,
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
  let maxRss = rssMb();
  const sampler = setInterval(() => (maxRss = Math.max(maxRss, rssMb())), 200);
  const start = performance.now();
  const worker = async (g: number) => {
    for (let batch = pull(g); batch; batch = pull(g)) {
      const res = await send(batch);
      if (res.rejected) throw new Error(`readings rejected: ${JSON.stringify(res.errors.slice(0, 3))}`);
      readings += res.accepted;
    }
  };
  try {
    await Promise.all(Array.from({ length: gateways }, (_, g) => worker(g)));
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - start) / 1000;
  return { readings, seconds, perSecond: readings / seconds, maxRssMb: Math.max(maxRss, rssMb()) };
}
