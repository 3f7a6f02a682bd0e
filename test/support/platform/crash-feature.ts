import { defineFeature, type DomainEvent, type FeatureModule } from '../../../bff/src/platform/contract';

/** A feature whose consumer records the events it got (the kill -9 test's consumer, in both processes). */
export function crashProbe(seen: DomainEvent[] = []): FeatureModule<string, unknown> {
  return defineFeature('crash-probe', () => ({
    consumers: [
      { name: 'crash-probe.status', events: ['device.status'], handle: async (e) => void seen.push(...e) },
    ],
  }));
}
