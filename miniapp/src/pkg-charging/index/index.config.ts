export default definePageConfig({ navigationBarTitleText: '充电', enablePullDownRefresh: true });
