import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import type { AllEnergyRow } from '@wattdesk/shared';
import { Button, Segmented } from '../../ui/nutui';
import { fetchAllEnergy, fetchPersonalise, type AmountType } from '../../api/energy';
import { useRemote } from '../../hooks/useRemote';
import { StateView } from '../../components/StateView';
import { energyTypes } from '../../domain/energy';
import { periodLabel, periodOf, ruleOf, wallClock, type TimeType } from '../../domain/periods';

type By = 'department' | 'machine' | 'meter';
const amountTypeOf: Record<By, AmountType> = { department: 4, machine: 3, meter: 2 };
const byNames: Record<By, string> = { department: '部门', machine: '机器', meter: '仪表' };

function groupName(by: By, r: AllEnergyRow): string {
  if (by === 'department') return r.Meter_Department || '未分配部门';
  if (by === 'machine') return r.Meter_Superior || '未分配机器';
  return r.Meter_Name || '未命名仪表';
}

/** Energy by department, machine or meter for a period that follows the site's custom boundaries. */
export default function EnergyDetailPage() {
  const initial = (useRouter().params.by as By | undefined) ?? 'department';
  const [by, setBy] = useState<By>(initial in amountTypeOf ? initial : 'department');
  const [timeType, setTimeType] = useState<TimeType>(2);
  const [offset, setOffset] = useState(0);
  const settings = useRemote(fetchPersonalise, 'personalise', { pullToRefresh: false });
  const rule = ruleOf(settings.data);
  const period = periodOf(
    timeType,
    rule,
    wallClock(new Date(), settings.data?.Time_Zone || undefined),
    offset,
  );
  const rows = useRemote(
    async () => (settings.data ? fetchAllEnergy({ timeType, period, amountType: amountTypeOf[by] }) : []),
    `${by}:${timeType}:${period.start}:${settings.data ? 1 : 0}`,
  );

  const groups = new Map<string, AllEnergyRow[]>();
  for (const r of rows.data ?? []) {
    const name = groupName(by, r);
    groups.set(name, [...(groups.get(name) ?? []), r]);
  }

  return (
    <View className="page">
      <View className="card">
        <Segmented
          value={by}
          options={(Object.keys(byNames) as By[]).map((k) => ({ label: `按${byNames[k]}`, value: k }))}
          onChange={(v) => setBy(v as By)}
        />
        <View className="actions">
          <Segmented
            value={timeType}
            options={[
              { label: '年', value: 1 },
              { label: '月', value: 2 },
              { label: '日', value: 3 },
            ]}
            onChange={(v) => {
              setTimeType(Number(v) as TimeType);
              setOffset(0);
            }}
          />
        </View>
        <View className="row">
          <Button size="small" onClick={() => setOffset(offset - 1)}>
            上一期
          </Button>
          <Text data-testid="period-label">{periodLabel(timeType, period)}</Text>
          <Button size="small" disabled={offset >= 0} onClick={() => setOffset(offset + 1)}>
            下一期
          </Button>
        </View>
        <View className="muted">{`统计区间：${period.start} 至 ${period.end}`}</View>
      </View>
      <StateView
        loading={settings.loading || rows.loading}
        error={settings.error ?? rows.error}
        empty={rows.data !== undefined && groups.size === 0}
        emptyText="该时段暂无能耗数据"
        onRetry={() => void (settings.error ? settings.reload() : rows.reload())}
      >
        {[...groups].map(([name, list]) => (
          <View className="card" key={name} data-testid="energy-group">
            <View className="card-title">{name}</View>
            {list.map((r, i) => (
              <View className="row" key={`${i}:${r.Meter_Name}:${r.Ene_Type}`}>
                <Text>{r.Ene_Name}</Text>
                <Text>
                  {`${r.Total_Amount} ${energyTypes[r.Ene_Type]?.unit ?? ''}`}
                  {r.Total_Cost !== undefined ? `  ¥${r.Total_Cost}` : ''}
                </Text>
              </View>
            ))}
          </View>
        ))}
      </StateView>
    </View>
  );
}
