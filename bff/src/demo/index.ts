import type { Container } from '../container';

/**
 * Something demo mode runs beside the BFF, the old way. Prefer a feature's `demo()` hook
 * (bff/src/platform/contract.ts): the core features' demo parts (fake WeChat, demo data, device
 * simulator) are theirs now. Kept so a part added elsewhere still runs.
 */
export interface DemoPart {
  name: string;
  /** Starts the part; returns lines to print under the start banner. */
  start(container: Container): Promise<string[]>;
  /** Optional: starts background work once every part has started (e.g. loading demo readings). */
  background?(container: Container): void;
}

/** Demo parts in start order, one line per part (run before the feature modules' demo hooks). */
export const demoParts: DemoPart[] = [];

/** Starts every demo part, then every feature's demo hook (in build order); returns the banner lines. */
export async function startDemo(container: Container): Promise<string[]> {
  const lines: string[] = [];
  for (const part of demoParts) {
    container.deps.log.info({ part: part.name }, 'starting demo part');
    lines.push(...(await part.start(container)));
  }
  // Feature modules' demo() hooks, then their demoBackground() (e.g. the demo readings load).
  lines.push(...(await container.platform.registry.demo()));
  for (const part of demoParts) part.background?.(container);
  return lines;
}
