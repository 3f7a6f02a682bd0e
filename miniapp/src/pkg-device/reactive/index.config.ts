export default definePageConfig({ navigationBarTitleText: '无功治理设置' });
