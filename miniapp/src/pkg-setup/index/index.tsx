import { View, Text } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { Button, Tag } from '../../ui/nutui';
import { fetchMachines } from '../../api/setup';
import { fetchMeters } from '../../api/energy';
import { fetchDevices } from '../../api/devices';
import { fetchRates } from '../../api/rates';
import { useRemote } from '../../hooks/useRemote';
import { StateView } from '../../components/StateView';
import { count } from '../../domain/devices';
import { go, type PageName } from '../../routes';

interface Step {
  title: string;
  what: string;
  done: number;
  unit: string;
  page: PageName;
  action: string;
}

/** The first minutes of a new organization: the steps to its first numbers, each a short form. */
export default function SetupPage() {
  const state = useRemote(async () => {
    const [machines, meters, devices, rates] = await Promise.all([
      fetchMachines(),
      fetchMeters(),
      fetchDevices(),
      fetchRates(),
    ]);
    return { machines, meters, devices, rates };
  }, 'setup');
  useDidShow(() => void state.reload());
  const s = state.data;
  const departments = new Set((s?.machines ?? []).map((m) => m.Meter_Department)).size;
  const steps: Step[] = s
    ? [
        {
          title: '1. 部门与机器',
          what: '能耗按部门、机器汇总。新建机器时填写所属部门，新部门随之建立。',
          done: s.machines.length,
          unit: '台机器',
          page: 'setupMachine',
          action: '添加机器',
        },
        {
          title: '2. 仪表',
          what: '每块电表、水表、气表挂在一台机器下；也可以用公式组合成虚拟表（如 总表 − 分表）。',
          done: s.meters.length,
          unit: '块仪表',
          page: 'setupMeter',
          action: '添加仪表',
        },
        {
          title: '3. 设备',
          what: '登记计量网关或储能控制器，取得它连接平台用的密钥。',
          done: s.devices.length,
          unit: '台设备',
          page: 'setupDevice',
          action: '登记设备',
        },
        {
          title: '4. 费率',
          what: '设置电、水、气的单价（电可分时段），能耗页面即显示费用。',
          done: s.rates.length,
          unit: '项费率',
          page: 'rates',
          action: '设置费率',
        },
      ]
    : [];
  return (
    <View className="page">
      <View className="card">
        <View className="card-title">把工厂搬上手机</View>
        <Text className="muted">按顺序完成下面几步；每一步都是一张简短的表单，随时可以回来继续。</Text>
      </View>
      <StateView
        loading={state.loading}
        error={state.error}
        onRetry={() => void state.reload()}
        skeletonRows={8}
      >
        {s && (
          <>
            {departments > 0 && (
              <View
                className="muted"
                data-testid="setup-departments"
              >{`已有部门：${count(departments)}`}</View>
            )}
            {steps.map((step) => (
              <View className="card" key={step.title} data-testid={`setup-step-${step.page}`}>
                <View className="row">
                  <Text className="card-title">{step.title}</Text>
                  {step.done > 0 ? (
                    <Tag type="success">{`已有 ${count(step.done, step.unit)}`}</Tag>
                  ) : (
                    <Tag type="default">未开始</Tag>
                  )}
                </View>
                <View className="muted">{step.what}</View>
                <View className="actions">
                  <Button size="small" type="primary" onClick={() => go(step.page)}>
                    {step.action}
                  </Button>
                </View>
              </View>
            ))}
            <View className="actions">
              <Button block onClick={() => go('home')}>
                查看首页
              </Button>
            </View>
          </>
        )}
      </StateView>
    </View>
  );
}
