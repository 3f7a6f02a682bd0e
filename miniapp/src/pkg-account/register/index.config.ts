export default definePageConfig({ navigationBarTitleText: '注册新组织' });
