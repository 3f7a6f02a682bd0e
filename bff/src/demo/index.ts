import type { Container } from '../container';
import { fakeWeChatDemo } from '../fakes/wechat/demo';
import { demoDataPart } from './demo-data';
import { deviceSimulatorDemo } from '../fakes/devices/demo';
import { steelLiveDemo } from './steel-live';

/** Something demo mode runs beside the BFF (a fake external service, the device simulator, demo data). */
export interface DemoPart {
  name: string;
  /** Starts the part; returns lines to print under the start banner. */
  start(container: Container): Promise<string[]>;
  /** Optional: starts background work once every part has started (e.g. loading demo readings). */
  background?(container: Container): void;
}

/** Demo parts in start order, one line per feature. */
export const demoParts: DemoPart[] = [fakeWeChatDemo, demoDataPart, deviceSimulatorDemo, steelLiveDemo];

/** Starts every demo part; each registers its own closer with the container. */
export async function startDemo(container: Container): Promise<string[]> {
  const lines: string[] = [];
  for (const part of demoParts) {
    container.deps.log.info({ part: part.name }, 'starting demo part');
    lines.push(...(await part.start(container)));
  }
  // Feature modules' demo() hooks (bff/src/platform/contract.ts), in build order, after every part started.
  lines.push(...(await container.platform.registry.demo()));
  for (const part of demoParts) part.background?.(container);
  return lines;
}
