import { useRef } from 'react';
import { View, Text } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import type { PvPlantItem } from '@wattdesk/shared';
import { Tag } from '../../ui/nutui';
import { fetchPlants } from '../../api/plants';
import { readSession } from '../../api/session';
import { useRemote } from '../../hooks/useRemote';
import { StateView } from '../../components/StateView';
import { go } from '../../routes';
import { kw, kwh, soc, sortPlants, statusText, TAG_TYPE, toneOf, totalOf, updatedText } from '../plants';
import { ConnectionCard } from './ConnectionCard';
import { UploadStatusCard } from './UploadStatusCard';

/** One figure of a card: its label above, the value (with its unit) below. */
function Kpi({
  label,
  value,
  testId,
  warn = false,
}: {
  label: string;
  value: string;
  testId: string;
  warn?: boolean;
}) {
  return (
    <View className="kpi">
      <View className="muted">{label}</View>
      <Text className={`kpi-value${warn ? ' warn-text' : ''}`} data-testid={testId}>
        {value}
      </Text>
    </View>
  );
}

function PlantRow({ p }: { p: PvPlantItem }) {
  const tone = toneOf(p.Fault_Status, p.Online_Status === 1);
  return (
    <View
      className="card"
      data-testid="plant-row"
      data-tone={tone}
      onClick={() => go('plant', { id: String(p.Ps_Id) })}
    >
      <View className="card-head">
        <Text className="card-title" data-testid="plant-name">
          {p.Ps_Name}
        </Text>
        <Tag type={TAG_TYPE[tone]}>
          <Text data-testid="plant-status">{statusText(p)}</Text>
        </Tag>
      </View>
      <View className="muted card-sub">{`${p.Ps_Type_Name}${p.Location ? ` · ${p.Location}` : ''}`}</View>
      <View className="kpis">
        <Kpi label="实时功率" value={kw(p.Power_kW)} testId="plant-power" />
        <Kpi label="今日发电" value={kwh(p.Today_kWh)} testId="plant-today" />
        {p.Soc !== null && <Kpi label="电池电量" value={soc(p.Soc)} testId="plant-soc" />}
      </View>
      <View className="row">
        <Text className="muted">{updatedText(p.Updated_At)}</Text>
        <Text className="link">详情 ›</Text>
      </View>
    </View>
  );
}

/** 电站: the organization's plants (faults first) with live power and today's yield; admin cards below. */
export default function PlantsPage() {
  const admin = readSession()?.role === 'admin';
  const plants = useRemote(fetchPlants, 'plants');
  const shown = useRef(false);
  useDidShow(() => {
    // Back from a plant or from connecting: figures and the plant list may have changed.
    if (shown.current) void plants.reload();
    shown.current = true;
  });
  const list = plants.data ? sortPlants(plants.data) : [];
  const faults = list.filter((p) => p.Fault_Status === 1).length;

  return (
    <View className="page">
      <StateView
        loading={plants.loading}
        error={plants.error}
        empty={!!plants.data && list.length === 0}
        emptyText={
          admin
            ? '还没有电站：请在下方连接 iSolarCloud 账号，授权后电站会自动出现'
            : '还没有电站：请管理员在本页连接 iSolarCloud 账号'
        }
        onRetry={() => void plants.reload()}
        skeletonRows={6}
      >
        {plants.data && (
          <View>
            <View className="card" data-testid="plants-summary">
              <View className="kpis">
                <Kpi
                  label={`电站（${list.length} 座）`}
                  value={faults ? `${faults} 座故障` : '全部正常'}
                  testId="plants-faults"
                  warn={faults > 0}
                />
                <Kpi label="总功率" value={kw(totalOf(list, 'Power_kW'))} testId="plants-power" />
                <Kpi label="今日总发电" value={kwh(totalOf(list, 'Today_kWh'))} testId="plants-today" />
              </View>
            </View>
            {list.map((p) => (
              <PlantRow key={p.Ps_Id} p={p} />
            ))}
          </View>
        )}
      </StateView>
      {admin && <ConnectionCard />}
      {admin && <UploadStatusCard />}
    </View>
  );
}
