export default definePageConfig({ navigationBarTitleText: '设备状态与OEE', enablePullDownRefresh: true });
