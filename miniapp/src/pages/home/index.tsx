import { View } from '@tarojs/components';

/** Home (energy at a glance) — being built. */
export default function HomePage() {
  return <View className="page">首页</View>;
}
