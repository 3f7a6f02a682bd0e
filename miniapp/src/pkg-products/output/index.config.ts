export default definePageConfig({ navigationBarTitleText: '录入产量', enablePullDownRefresh: false });
