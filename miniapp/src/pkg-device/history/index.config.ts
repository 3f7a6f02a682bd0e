export default definePageConfig({ navigationBarTitleText: '命令记录', enablePullDownRefresh: true });
