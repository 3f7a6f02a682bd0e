export default definePageConfig({ navigationBarTitleText: '充电记录', enablePullDownRefresh: true });
