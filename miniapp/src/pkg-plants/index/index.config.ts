export default definePageConfig({ navigationBarTitleText: '电站', enablePullDownRefresh: true });
