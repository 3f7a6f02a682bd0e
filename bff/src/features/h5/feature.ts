import { defineFeature } from '../../platform/contract';
import { wechatSimRoutes } from './wechat-sim';

/**
 * The H5 build's WeChat simulation (demo mode only). The H5 files themselves are served by the app
 * shell (`serveH5` in app.ts), after every route.
 */
export const h5Feature = defineFeature('h5', () => ({ routes: wechatSimRoutes }));
