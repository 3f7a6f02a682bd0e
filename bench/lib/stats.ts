/** The p-th percentile (nearest rank) of samples. */
export function percentile(samples: number[], p: number): number {
  if (!samples.length) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Times `fn` `runs` times after `warmup` untimed runs; milliseconds per run. */
export async function timeRuns(runs: number, fn: () => Promise<unknown>, warmup = 2): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

export interface ResultRow {
  what: string;
  value: string;
  target: string;
  ok: boolean | null;
  note?: string;
}

/** Prints the result table (plain text, aligned). */
export function printTable(title: string, rows: ResultRow[]): string {
  const head = ['measure', 'value', 'target', 'met', 'note'];
  const body = rows.map((r) => [
    r.what,
    r.value,
    r.target,
    r.ok === null ? '-' : r.ok ? 'yes' : 'NO',
    r.note ?? '',
  ]);
  const width = head.map((h, i) => Math.max(h.length, ...body.map((b) => displayWidth(b[i]!))));
  const line = (cells: string[]) =>
    '| ' + cells.map((c, i) => c + ' '.repeat(width[i]! - displayWidth(c))).join(' | ') + ' |';
  const text = [
    title,
    line(head),
    '|' + width.map((w) => '-'.repeat(w + 2)).join('|') + '|',
    ...body.map(line),
  ].join('\n');
  console.log(text);
  return text;
}

/** Columns a string takes in a terminal (CJK characters take two). */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(
      ch,
    )
      ? 2
      : 1;
  return w;
}
