export default definePageConfig({ navigationBarTitleText: '告警设置', enablePullDownRefresh: true });
