import { defineFeature } from '../../platform/contract';
import { regionRoutes } from './routes';

/** Provinces and cities (GET /api_3/province_city_list); no api, no state. */
export const regionsFeature = defineFeature('regions', () => ({ routes: regionRoutes }));
