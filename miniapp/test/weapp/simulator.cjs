/**
 * A headless mini-program host for the weapp build: runs Taro's output (app.js, page js) in a Node vm
 * with the App/Page/Component/wx globals a WeChat client provides, and renders each page's data with
 * WeChat's own template compiler (wcc from the `miniprogram-compiler` npm package) into a node tree.
 */
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { wxmlToJs } = require('miniprogram-compiler');

function setPath(target, key, value) {
  const parts = key
    .split('.')
    .flatMap((p) => p.split(/(?=\[)/))
    .map((p) => (/^\[\d+\]$/.test(p) ? Number(p.slice(1, -1)) : p));
  let obj = target;
  for (let i = 0; i < parts.length - 1; i++) {
    const k = parts[i];
    if (obj[k] === undefined || obj[k] === null) obj[k] = typeof parts[i + 1] === 'number' ? [] : {};
    obj = obj[k];
  }
  obj[parts[parts.length - 1]] = value;
}

/** Starts a host for `dist`; `wx` holds the API stubs a test needs (request, storage, login …). */
function createHost(dist, wxApi = {}) {
  const storage = new Map();
  const pages = [];
  let appConfig = null;
  let lastPage = null;
  let lastComponent = null;
  const wx = {
    getSystemInfoSync: () => ({
      platform: 'devtools',
      pixelRatio: 2,
      windowWidth: 375,
      windowHeight: 667,
      screenWidth: 375,
      screenHeight: 667,
      SDKVersion: '3.0.0',
      language: 'zh_CN',
      version: '8.0.0',
    }),
    getWindowInfo: () => ({
      pixelRatio: 2,
      windowWidth: 375,
      windowHeight: 667,
      screenWidth: 375,
      screenHeight: 667,
    }),
    getAppBaseInfo: () => ({ SDKVersion: '3.0.0', language: 'zh_CN', version: '8.0.0' }),
    getDeviceInfo: () => ({ platform: 'devtools' }),
    getStorageSync: (k) => (storage.has(k) ? storage.get(k) : ''),
    setStorageSync: (k, v) => void storage.set(k, v),
    removeStorageSync: (k) => void storage.delete(k),
    nextTick: (fn) => setTimeout(fn, 0),
    canIUse: () => true,
    getMenuButtonBoundingClientRect: () => ({
      top: 24,
      height: 32,
      right: 365,
      width: 87,
      left: 278,
      bottom: 56,
    }),
    onAppRoute: () => undefined,
    switchTab: (o) => o?.success?.(),
    navigateTo: (o) => o?.success?.(),
    reLaunch: (o) => o?.success?.(),
    stopPullDownRefresh: () => undefined,
    showToast: () => undefined,
    createSelectorQuery: () => ({
      select: () => ({
        fields: () => ({ exec: () => undefined }),
        boundingClientRect: () => ({ exec: () => undefined }),
      }),
      in: function () {
        return this;
      },
      exec: () => undefined,
    }),
    ...wxApi,
  };
  const ctx = {
    console,
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    Promise,
    Date,
    Math,
    JSON,
    wx,
    App: (cfg) => void (appConfig = cfg),
    Page: (cfg) => void (lastPage = cfg),
    Component: (cfg) => void (lastComponent = cfg),
    Behavior: (cfg) => cfg,
    getApp: () => appConfig,
    getCurrentPages: () => pages,
    requirePlugin: () => ({}),
    __wxConfig: { envVersion: 'develop' },
  };
  ctx.global = ctx;
  ctx.globalThis = ctx;
  ctx.window = undefined;
  vm.createContext(ctx);

  const cache = new Map();
  function load(rel) {
    const file = path.join(dist, rel.endsWith('.js') ? rel : `${rel}.js`);
    if (cache.has(file)) return cache.get(file).exports;
    const module = { exports: {} };
    cache.set(file, module);
    const code = fs.readFileSync(file, 'utf8');
    const fn = vm.runInContext(`(function (module, exports, require) {${code}\n})`, ctx, { filename: file });
    fn(module, module.exports, (spec) => load(path.relative(dist, path.resolve(path.dirname(file), spec))));
    return module.exports;
  }

  load('app');
  const app = appConfig;
  app.onLaunch?.call(app, { path: 'pages/home/index', query: {}, scene: 1001 });
  app.onShow?.call(app, { path: 'pages/home/index', query: {}, scene: 1001 });

  const wcc = vm.createContext({ console });
  wcc.window = wcc;
  wcc.global = wcc;
  const $gwx = vm.runInContext(`(function(global){${wxmlToJs(dist)}})`, wcc)(wcc);

  /** Opens a page as WeChat does: Page() config → instance → onLoad/onShow/onReady. */
  async function open(route, query = {}) {
    lastPage = null;
    load(route);
    const cfg = lastPage;
    if (!cfg) throw new Error(`${route} did not call Page()`);
    const page = Object.create(cfg);
    page.data = JSON.parse(JSON.stringify(cfg.data ?? {}));
    page.route = route;
    page.__route__ = route;
    page.options = query;
    page.setData = (patch, cb) => {
      for (const [k, v] of Object.entries(patch)) setPath(page.data, k, v);
      if (cb) setTimeout(cb, 0);
    };
    page.selectComponent = () => null;
    page.createSelectorQuery = () => wx.createSelectorQuery();
    pages.push(page);
    cfg.onLoad?.call(page, query);
    cfg.onShow?.call(page);
    cfg.onReady?.call(page);
    await settle();
    return page;
  }

  /** The node tree WeChat would draw for the page's current data. */
  function render(page) {
    return $gwx(`${page.route}.wxml`)(page.data, {}, {});
  }

  return {
    app,
    open,
    render,
    wx,
    storage,
    get lastComponent() {
      return lastComponent;
    },
  };
}

/** Lets promises and timers the page started run. */
function settle(ms = 50) {
  return new Promise((r) => setTimeout(r, ms));
}

/** All text in a rendered tree, in document order. */
function textOf(node) {
  if (node == null) return '';
  if (typeof node === 'string') return node;
  return (node.children ?? []).map(textOf).join('');
}

module.exports = { createHost, settle, textOf };
