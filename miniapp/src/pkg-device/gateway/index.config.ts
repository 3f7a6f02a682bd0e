export default definePageConfig({ navigationBarTitleText: '网关详情', enablePullDownRefresh: true });
