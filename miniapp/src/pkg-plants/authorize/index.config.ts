export default definePageConfig({ navigationBarTitleText: '授权 iSolarCloud' });
