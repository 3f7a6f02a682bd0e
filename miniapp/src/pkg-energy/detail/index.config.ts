export default definePageConfig({ navigationBarTitleText: '能耗明细', enablePullDownRefresh: true });
