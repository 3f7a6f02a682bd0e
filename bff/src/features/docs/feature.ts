import { defineFeature } from '../../platform/contract';
import { docsRoutes } from './routes';

/**
 * /openapi.json and /docs. The document is the app's own (`createApp` builds one per Koa app from every
 * mounted route), read from the request context.
 */
export const docsFeature = defineFeature('docs', () => ({ routes: docsRoutes() }));
