export default definePageConfig({ navigationBarTitleText: '电站详情', enablePullDownRefresh: true });
