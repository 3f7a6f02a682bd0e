import { defineFeature } from '../../platform/contract';
import { healthRoutes } from './routes';

/** /healthz and /readyz (database, Redis, and every feature's readiness entries). */
export const healthFeature = defineFeature('health', () => ({ routes: healthRoutes }));
