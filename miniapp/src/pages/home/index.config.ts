export default definePageConfig({ navigationBarTitleText: '能管通', enablePullDownRefresh: true });
