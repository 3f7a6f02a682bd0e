import { calendarRoutes } from '../calendar/routes';
import { energyRoutes } from '../energy/routes';
import { machineRoutes } from '../machines/routes';
import { readingRoutes } from '../readings/routes';
import { rateRoutes } from '../tariffs/routes';
import { meterRoutes } from './routes';

/** Every metering route (issue 3), in API-reference order. */
export const meteringRoutes = [
  ...meterRoutes,
  ...machineRoutes,
  ...readingRoutes,
  ...energyRoutes,
  ...rateRoutes,
  ...calendarRoutes,
];
