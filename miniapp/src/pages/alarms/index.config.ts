export default definePageConfig({ navigationBarTitleText: '告警', enablePullDownRefresh: true });
