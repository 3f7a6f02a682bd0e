export default definePageConfig({ navigationBarTitleText: '支付充电费用' });
