export default definePageConfig({ navigationBarTitleText: '电站连接' });
