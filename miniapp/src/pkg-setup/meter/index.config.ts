export default definePageConfig({ navigationBarTitleText: '添加仪表' });
