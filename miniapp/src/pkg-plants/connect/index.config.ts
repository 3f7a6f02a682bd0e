export default definePageConfig({ navigationBarTitleText: '连接 iSolarCloud' });
