import { commandRoutes } from './commands/routes';
import { brokerAuthRoutes } from './registry/broker-auth-routes';
import { deviceRoutes } from './registry/routes';

/** Every route of the devices feature: seeds 000/001, the registry and the broker's auth questions. */
export const devicesRoutes = [...commandRoutes, ...deviceRoutes, ...brokerAuthRoutes];
