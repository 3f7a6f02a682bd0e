import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';

/** Design width: NutUI is drawn at 375, our pages at 750. */
function designWidth(input?: unknown): number {
  const file = (input as { file?: string } | undefined)?.file ?? '';
  return file.replace(/\\+/g, '/').includes('@nutui') ? 375 : 750;
}

// Base URL of the BFF. H5 is served by the BFF itself (same origin, ''); the mini-program needs an
// absolute https URL of the deployed BFF (TARO_APP_API_BASE at build time).
const apiBase =
  process.env.TARO_APP_API_BASE ?? (process.env.TARO_ENV === 'h5' ? '' : 'http://127.0.0.1:3000');

const shared = path.resolve(__dirname, '../../shared/src');

export default defineConfig<'webpack5'>(async (merge) => {
  const base: UserConfigExport<'webpack5'> = {
    projectName: 'wattdesk',
    date: '2026-11-21',
    designWidth,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: `dist/${process.env.TARO_ENV}`,
    plugins: [],
    defineConstants: { WD_API_BASE: JSON.stringify(apiBase) },
    alias: { '@wattdesk/shared': shared },
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: false },
    logger: { quiet: true, stats: false },
    mini: {
      compile: { include: [shared] },
      optimizeMainPackage: { enable: true },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'browser' },
      compile: { include: [shared] },
      output: { filename: 'js/[name].[contenthash:8].js', chunkFilename: 'js/[name].[contenthash:8].js' },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      esnextModules: ['nutui-react'],
      postcss: {
        // px, not rem: the rem mode needs an inline <script>, which the BFF's CSP (script-src 'self') forbids.
        // postcss-pxtransform supports 'px' on h5 (index.js), though @tarojs/cli's types list only rpx/vw/rem.
        pxtransform: { enable: true, config: { targetUnit: 'px' } as Record<string, unknown> },
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
  };
  return merge({}, base);
});
