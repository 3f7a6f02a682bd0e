/**
 * Mini-program tests: `components` (jsdom; Taro's runtime replaced by test/taro.ts) and `weapp` (the
 * weapp build run in a headless host and drawn by WeChat's template compiler, test/weapp/).
 */
const path = require('node:path');

const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      transform: { react: { runtime: 'automatic' } },
      parser: { syntax: 'typescript', tsx: true },
    },
  },
];

module.exports = {
  projects: [
    {
      displayName: 'miniapp-components',
      rootDir: __dirname,
      testEnvironment: 'jsdom',
      testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/src/**/*.test.tsx'],
      transform: { '^.+\\.(t|j)sx?$': swc },
      moduleNameMapper: {
        '^@tarojs/taro$': '<rootDir>/test/taro.ts',
        '^@tarojs/components$': '<rootDir>/test/components.tsx',
        '^.*/ui/nutui$': '<rootDir>/test/nutui.tsx',
        '^.*/components/TrendChart$': '<rootDir>/test/trend-chart.tsx',
        '^@wattdesk/shared$': path.resolve(__dirname, '../shared/src/index.ts'),
        '\\.css$': '<rootDir>/test/style.ts',
      },
      setupFiles: ['<rootDir>/test/globals.ts'],
    },
    {
      displayName: 'miniapp-weapp',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/weapp/**/*.test.ts'],
      transform: { '^.+\\.(t|j)sx?$': swc },
    },
  ],
};
