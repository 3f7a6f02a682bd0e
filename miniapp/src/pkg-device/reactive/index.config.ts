export default definePageConfig({ navigationBarTitleText: '能管通' });
