import { useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { Button } from '../../ui/nutui';
import { fetchPersonalise } from '../../api/energy';
import { fetchFactors, fetchStateRecords, fetchStateSeconds } from '../../api/oee';
import { fetchMachines } from '../../api/setup';
import { useRemote } from '../../hooks/useRemote';
import { StateView } from '../../components/StateView';
import { formatWall, periodOf, ruleOf, wallClock, type TimeType } from '../../domain/periods';
import { barPieces, formatDuration, stateColour, type BarPiece } from './states';

const PERIODS: { type: TimeType; name: string }[] = [
  { type: 3, name: '今日' },
  { type: 2, name: '本月' },
  { type: 1, name: '本年' },
];

/** Per machine: today's state bar (tap a piece for its times), state durations of day/month/year, OEE. */
export default function OeeMachinePage() {
  const params = useRouter().params as { id?: string };
  const [picked, setPicked] = useState<number | undefined>(params.id ? Number(params.id) : undefined);
  const [tapped, setTapped] = useState<BarPiece>();
  const machines = useRemote(fetchMachines, 'machines', { pullToRefresh: false });
  const settings = useRemote(fetchPersonalise, 'personalise', { pullToRefresh: false });
  const machineId = picked ?? machines.data?.[0]?.id;
  const ready = !!(settings.data || settings.error) && machineId !== undefined;
  const rule = ruleOf(settings.data);
  const now = wallClock(new Date(), settings.data?.Time_Zone || undefined);
  const nowText = formatWall(now);
  // Each period runs from its start to the next period's start (7.5 allows exactly 24 h).
  const span = (type: TimeType) => ({
    start: periodOf(type, rule, now).start,
    end: periodOf(type, rule, now, 1).start,
  });
  const day = span(3);
  const data = useRemote(
    async () => {
      if (!ready) return undefined;
      const [records, durations, oee] = await Promise.all([
        fetchStateRecords(machineId, day.start, day.end),
        Promise.all(
          PERIODS.map((p) => fetchStateSeconds(machineId, p.type, span(p.type).start, span(p.type).end)),
        ),
        fetchFactors(machineId, 2, nowText),
      ]);
      return { records, durations, oee };
    },
    `${machineId}:${day.start}:${ready ? 1 : 0}`,
  );
  const pieces = data.data
    ? barPieces(data.data.records, day.start, day.end, nowText < day.end ? nowText : day.end)
    : [];
  const names = data.data ? [...new Set(data.data.durations[0]!.map((r) => r.Status_Name))] : [];

  return (
    <View className="page">
      <StateView
        loading={machines.loading}
        error={machines.error}
        empty={!!machines.data && machines.data.length === 0}
        emptyText="还没有机器：请先在“设置”中添加机器和仪表"
        onRetry={() => void machines.reload()}
      >
        <View className="card actions" data-testid="oee-machines">
          {machines.data?.map((m) => (
            <Button
              key={m.id}
              size="small"
              type={m.id === machineId ? 'primary' : 'default'}
              onClick={() => setPicked(m.id)}
            >
              {m.Meter_Superior}
            </Button>
          ))}
        </View>
        <StateView
          loading={data.loading || !data.data}
          error={data.error}
          onRetry={() => void data.reload()}
          skeletonRows={6}
        >
          {data.data && (
            <View>
              <View className="card">
                <View className="card-title">今日状态（{day.start.slice(11, 16)} 起）</View>
                {pieces.length === 0 ? (
                  <Text className="muted" data-testid="oee-bar-empty">
                    今日还没有状态记录（机器没有状态规则或还没有读数）
                  </Text>
                ) : (
                  <View
                    className="state-bar"
                    data-testid="oee-bar"
                    style={{ position: 'relative', height: '24px', background: '#f0f1f3' }}
                  >
                    {pieces.map((p, i) => (
                      <View
                        key={`${p.from}-${i}`}
                        data-testid="oee-piece"
                        data-status={p.status}
                        onClick={() => setTapped(p)}
                        style={{
                          position: 'absolute',
                          top: 0,
                          bottom: 0,
                          left: `${p.left}%`,
                          width: `${p.width}%`,
                          background: stateColour(p.status, names.indexOf(p.status)),
                        }}
                      />
                    ))}
                  </View>
                )}
                {tapped && (
                  <Text data-testid="oee-tapped">
                    {tapped.status}：{tapped.from}–{tapped.to}（{formatDuration(tapped.minutes * 60)}）
                  </Text>
                )}
                <View className="row" data-testid="oee-legend">
                  {names.map((n, i) => (
                    <Text key={n} style={{ color: stateColour(n, i) }}>
                      ■ {n}{' '}
                    </Text>
                  ))}
                </View>
              </View>
              <View className="card" data-testid="oee-durations">
                <View className="card-title">状态时长</View>
                {PERIODS.map((p, i) => (
                  <View key={p.type}>
                    <Text className="muted">{p.name}</Text>
                    {data
                      .data!.durations[i]!.filter((r) => r.Total_Amount > 0)
                      .map((r) => (
                        <View className="row" key={r.Status_Name}>
                          <Text>{r.Status_Name}</Text>
                          <Text>{formatDuration(r.Total_Amount)}</Text>
                        </View>
                      ))}
                    {data.data!.durations[i]!.every((r) => r.Total_Amount === 0) && (
                      <Text className="muted">无数据</Text>
                    )}
                  </View>
                ))}
              </View>
              <View className="card" data-testid="oee-factors">
                <View className="card-title">本月 OEE</View>
                {(
                  [
                    ['OEE', data.data.oee.OEE],
                    ['可用率', data.data.oee.Availability],
                    ['性能', data.data.oee.Performance],
                    ['质量', data.data.oee.Quality],
                  ] as const
                ).map(([label, f]) => (
                  <View key={label}>
                    <View className="row">
                      <Text>{label}</Text>
                      <Text data-testid={`oee-${label}`}>{f.Text}</Text>
                    </View>
                    <Text className="muted">{f.Basis}</Text>
                  </View>
                ))}
              </View>
            </View>
          )}
        </StateView>
      </StateView>
    </View>
  );
}
