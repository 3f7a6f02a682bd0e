export default definePageConfig({ navigationBarTitleText: '告警统计', enablePullDownRefresh: true });
