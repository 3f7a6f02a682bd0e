export default definePageConfig({ navigationBarTitleText: '告警定义' });
