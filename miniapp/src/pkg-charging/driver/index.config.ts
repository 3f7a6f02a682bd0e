export default definePageConfig({ navigationBarTitleText: '充电缴费' });
