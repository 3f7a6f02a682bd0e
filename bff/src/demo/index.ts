import type { Container } from '../container';
import { steelLiveDemo } from './steel-live';

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

/** Demo parts in start order, one line per part (run after the feature modules' demo hooks). */
export const demoParts: DemoPart[] = [steelLiveDemo];

/** Starts every demo part, then every feature's demo hook (in build order); returns the banner lines. */
export async function startDemo(container: Container): Promise<string[]> {
  // Feature modules' demo() hooks (the demo organization, the fakes), then their demoBackground()
  // (e.g. the demo readings load); then the parts, which use the demo organization.
  const lines: string[] = [...(await container.platform.registry.demo())];
  for (const part of demoParts) {
    container.deps.log.info({ part: part.name }, 'starting demo part');
    lines.push(...(await part.start(container)));
  }
  for (const part of demoParts) part.background?.(container);
  return lines;
}
