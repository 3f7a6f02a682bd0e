export default definePageConfig({ navigationBarTitleText: '开始设置' });
