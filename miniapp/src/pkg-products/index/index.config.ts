export default definePageConfig({ navigationBarTitleText: '产品单耗', enablePullDownRefresh: true });
