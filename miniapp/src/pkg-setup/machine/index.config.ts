export default definePageConfig({ navigationBarTitleText: '添加机器' });
