export default definePageConfig({ navigationBarTitleText: '连接电站账号' });
