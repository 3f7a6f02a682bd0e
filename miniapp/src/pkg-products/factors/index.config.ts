export default definePageConfig({ navigationBarTitleText: '折标系数', enablePullDownRefresh: true });
