export default definePageConfig({ navigationBarTitleText: '费率设置' });
