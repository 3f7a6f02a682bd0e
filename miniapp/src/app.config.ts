export default defineAppConfig({
  pages: [
    'pages/home/index',
    'pages/devices/index',
    'pages/mine/index',
    'pages/login/index',
    'pages/alarms/index',
  ],
  subPackages: [
    { root: 'pkg-account', pages: ['bind/index', 'profile/index', 'register/index'] },
    { root: 'pkg-energy', pages: ['detail/index', 'rates/index'] },
    { root: 'pkg-device', pages: ['detail/index', 'reactive/index', 'history/index', 'gateway/index'] },
    { root: 'pkg-setup', pages: ['index/index', 'machine/index', 'meter/index', 'device/index'] },
    {
      root: 'pkg-alarms',
      pages: [
        'detail/index',
        'stats/index',
        'definitions/index',
        'definition/index',
        'rules/index',
        'rule/index',
      ],
    },
    { root: 'pkg-products', pages: ['index/index', 'output/index', 'factors/index'] },
    { root: 'pkg-oee', pages: ['machine/index'] },
    { root: 'pkg-charging', pages: ['index/index', 'records/index', 'driver/index'] },
    { root: 'pkg-plants', pages: ['index/index', 'plant/index', 'connect/index', 'authorize/index'] },
  ],
  window: {
    backgroundTextStyle: 'dark',
    navigationBarBackgroundColor: '#1f6feb',
    navigationBarTitleText: '能管通',
    navigationBarTextStyle: 'white',
    backgroundColor: '#f5f6f8',
    // H5: Taro's own title bar (title of each page, back — or home on a page opened directly).
    navigationStyle: 'default',
  },
  tabBar: {
    color: '#666666',
    selectedColor: '#1f6feb',
    backgroundColor: '#ffffff',
    list: [
      {
        pagePath: 'pages/home/index',
        text: '首页',
        iconPath: 'assets/tab/home.png',
        selectedIconPath: 'assets/tab/home-active.png',
      },
      {
        pagePath: 'pages/alarms/index',
        text: '告警',
        iconPath: 'assets/tab/alarms.png',
        selectedIconPath: 'assets/tab/alarms-active.png',
      },
      {
        pagePath: 'pages/devices/index',
        text: '设备',
        iconPath: 'assets/tab/devices.png',
        selectedIconPath: 'assets/tab/devices-active.png',
      },
      {
        pagePath: 'pages/mine/index',
        text: '我的',
        iconPath: 'assets/tab/mine.png',
        selectedIconPath: 'assets/tab/mine-active.png',
      },
    ],
  },
});
