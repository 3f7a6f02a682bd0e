/** Component and unit tests of the mini-program (jsdom; Taro's runtime replaced by test/taro.ts). */
const path = require('node:path');

module.exports = {
  displayName: 'miniapp',
  rootDir: __dirname,
  testEnvironment: 'jsdom',
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/src/**/*.test.tsx'],
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          transform: { react: { runtime: 'automatic' } },
          parser: { syntax: 'typescript', tsx: true },
        },
      },
    ],
  },
  moduleNameMapper: {
    '^@tarojs/taro$': '<rootDir>/test/taro.ts',
    '^@tarojs/components$': '<rootDir>/test/components.tsx',
    '^.*/ui/nutui$': '<rootDir>/test/nutui.tsx',
    '^.*/components/TrendChart$': '<rootDir>/test/trend-chart.tsx',
    '^@wattdesk/shared$': path.resolve(__dirname, '../shared/src/index.ts'),
    '\\.css$': '<rootDir>/test/style.ts',
  },
  setupFiles: ['<rootDir>/test/globals.ts'],
};
