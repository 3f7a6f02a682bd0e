import { View, Text } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import type { PvPlantDetailItem } from '@wattdesk/shared';
import { Tag } from '../../ui/nutui';
import { fetchPlantDetail } from '../../api/plants';
import { useRemote } from '../../hooks/useRemote';
import { StateView } from '../../components/StateView';
import { TrendChart } from '../../components/TrendChart';
import {
  curveChart,
  kw,
  kwh,
  soc,
  sortDevices,
  statusText,
  TAG_TYPE,
  toneOf,
  updatedText,
  yieldChart,
} from '../plants';

function Head({ p }: { p: PvPlantDetailItem }) {
  const tone = toneOf(p.Fault_Status, p.Online_Status === 1);
  const rows: [string, string][] = [
    ['实时功率', kw(p.Power_kW)],
    ['今日发电', kwh(p.Today_kWh)],
    ['累计发电', kwh(p.Total_kWh)],
    ...(p.Soc !== null ? [['电池电量', soc(p.Soc)] as [string, string]] : []),
  ];
  return (
    <View className="card" data-testid="plant-head">
      <View className="card-head">
        <Text className="card-title">{p.Ps_Name}</Text>
        <Tag type={TAG_TYPE[tone]}>
          <Text data-testid="plant-status">{statusText(p)}</Text>
        </Tag>
      </View>
      <View className="muted card-sub">{`${p.Ps_Type_Name}${p.Location ? ` · ${p.Location}` : ''}`}</View>
      {tone === 'fault' && (
        <View className="warn-text" data-testid="plant-fault">
          电站有故障，请查看下方设备
        </View>
      )}
      {rows.map(([label, value]) => (
        <View className="row" key={label} data-testid={`plant-${label}`}>
          <Text>{label}</Text>
          <Text>{value}</Text>
        </View>
      ))}
      <Text className="muted">{updatedText(p.Updated_At)}</Text>
    </View>
  );
}

function Devices({ devices }: { devices: PvPlantDetailItem['Devices'] }) {
  return (
    <View className="card" data-testid="plant-devices">
      <View className="card-title">{`设备（${devices.length} 台）`}</View>
      {devices.length === 0 ? (
        <Text className="muted" data-testid="plant-devices-empty">
          iSolarCloud 没有返回这个电站的设备
        </Text>
      ) : (
        sortDevices(devices).map((d) => {
          const tone = toneOf(d.Fault_Status);
          return (
            <View className="row" key={d.Ps_Key} data-testid="plant-device" data-tone={tone}>
              <View>
                <Text>{d.Device_Name}</Text>
                <View className="muted">{`${d.Device_Type_Name} · 序列号 ${d.Device_Sn}`}</View>
              </View>
              <Tag type={TAG_TYPE[tone]}>{d.Fault_Status_Name}</Tag>
            </View>
          );
        })
      )}
    </View>
  );
}

/** One plant: its figures, today's power curve, the month's daily yield and its devices (faults first). */
export default function PlantPage() {
  const { id = '' } = useRouter().params as { id?: string };
  const plant = useRemote(() => fetchPlantDetail(id), `plant:${id}`);
  const p = plant.data;
  const curve = p ? curveChart(p) : undefined;
  const daily = p ? yieldChart(p) : undefined;

  return (
    <View className="page">
      <StateView
        loading={plant.loading}
        error={plant.error}
        onRetry={() => void plant.reload()}
        skeletonRows={8}
      >
        {p && (
          <View>
            <Head p={p} />
            <View className="card" data-testid="plant-curve">
              <View className="card-title">今日功率曲线</View>
              {curve!.labels.length === 0 ? (
                <Text className="muted" data-testid="plant-curve-empty">
                  今日还没有功率数据（每 5 分钟同步一次）
                </Text>
              ) : (
                <TrendChart labels={curve!.labels} series={curve!.series} unit="kW" />
              )}
            </View>
            <View className="card" data-testid="plant-yield">
              <View className="card-title">本月每日发电量</View>
              {daily!.labels.length === 0 ? (
                <Text className="muted" data-testid="plant-yield-empty">
                  本月还没有发电量数据
                </Text>
              ) : (
                <TrendChart labels={daily!.labels} series={daily!.series} unit="kWh" kind="bar" />
              )}
            </View>
            <Devices devices={p.Devices} />
          </View>
        )}
      </StateView>
    </View>
  );
}
