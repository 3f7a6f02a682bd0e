/// <reference types="@tarojs/taro" />

declare module '*.png';
declare module '*.css';

/** BFF base URL chosen at build time (config/index.ts). */
declare const WD_API_BASE: string;

declare namespace NodeJS {
  interface ProcessEnv {
    NODE_ENV: 'development' | 'production' | 'test';
    TARO_ENV: 'weapp' | 'h5';
  }
}
