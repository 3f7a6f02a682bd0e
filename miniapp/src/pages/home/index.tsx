import { useMemo, useRef, useState } from 'react';
import { useDidShow } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { Button, Segmented } from '../../ui/nutui';
import { useRemote, type Remote } from '../../hooks/useRemote';
import { fetchUnread } from '../../api/alarms';
import { Card } from '../../components/Card';
import { EnergySummary } from '../../components/EnergySummary';
import { MonthTce } from '../../components/MonthTce';
import { TrendChart } from '../../components/TrendChart';
import {
  energyName,
  energyUnit,
  formatEnergy,
  formatMoney,
  formatNumber,
  formatPercent,
  formatPower,
} from '../../domain/format';
import { shortWall } from '../../domain/same-period';
import { go } from '../../routes';
import {
  homeSource,
  loadLive,
  loadMonth,
  loadToday,
  loadTop,
  loadTrend,
  type HomeSource,
  type LiveFigures,
} from './load';
import { trendOf, trendTypes } from './trend';
import { demoImportNotice, useDemoImport } from './demo-import';

/** A card's remote: the first load shares home's calendar and today's data, every reload asks again. */
function useCard<T>(
  src: HomeSource,
  load: (src: HomeSource, fresh: boolean) => Promise<T>,
  key: string,
): Remote<T> {
  const loaded = useRef(false);
  return useRemote(() => {
    const fresh = loaded.current;
    loaded.current = true;
    return load(src, fresh);
  }, key);
}

const hm = (time: string | null) => (time ? time.slice(11, 16) : '—');
const over = (d: LiveFigures) => d.contract !== null && d.peak !== null && d.peak > d.contract;

/**
 * Home: today so far and this month so far against the same stretch of the previous day and month,
 * with cost; live power, today's peak and power factor of the total meter; this month's top consumers;
 * one energy type's daily trend against last month. Each card loads, fails and retries on its own.
 */
export default function HomePage() {
  const src = useMemo(() => homeSource(), []);
  const today = useCard(src, loadToday, 'today');
  const month = useCard(src, loadMonth, 'month');
  const live = useCard(src, loadLive, 'live');
  const top = useCard(src, loadTop, 'top');
  const trend = useCard(src, loadTrend, 'trend');
  const alarms = useRemote(fetchUnread, 'alarms');
  const [trendType, setTrendType] = useState<string>();
  const imported = useDemoImport(() => {
    for (const card of [today, month, live, top, trend]) void card.reload();
  });
  const notice = demoImportNotice(imported);
  const shownOnce = useRef(false);
  useDidShow(() => {
    // Back from the 告警 tab: the count may have changed (the first show is the mount's load).
    if (shownOnce.current) void alarms.reload();
    shownOnce.current = true;
  });

  return (
    <View className="page">
      {notice && (
        <View className="card notice-warning" data-testid="demo-import">
          {notice}
        </View>
      )}
      <Card title="告警" testId="alarms" remote={alarms}>
        {(d) => (
          <View className="row" data-testid="alarms-unack" onClick={() => go('alarms')}>
            <Text className={d.Active_Unack_Numbers > 0 ? 'warn-text' : 'ok-text'}>
              {`未确认告警 ${d.Active_Unack_Numbers} 条`}
            </Text>
            <Text className="link">查看告警 ›</Text>
          </View>
        )}
      </Card>
      <Card
        title="今日"
        testId="today"
        remote={today}
        empty={(d) => (d.figures.length || d.previous.length ? null : '今日暂无能耗数据')}
        extra={
          today.data ? (
            <Text className="muted" data-testid="today-latest">
              {today.data.hasData ? `最新读数 ${shortWall(today.data.cutoff)}` : '今日尚无读数'}
            </Text>
          ) : undefined
        }
      >
        {(d) => (
          <View>
            <View className="muted card-sub" data-testid="today-label">
              {`${d.period.start.slice(5, 16)} 起至 ${shortWall(d.cutoff).slice(6)}，对比昨日同一时段（至 ${shortWall(d.previousCutoff)}）`}
            </View>
            <EnergySummary
              previousName="昨日同期"
              figures={d.figures}
              previous={d.previous}
              testId="today-figures"
            />
          </View>
        )}
      </Card>
      <Card
        title="本月"
        testId="month"
        remote={month}
        empty={(d) => (d.figures.length || d.previous.length ? null : '本月暂无能耗数据')}
        extra={
          notice ? (
            <Text className="warn-text" data-testid="month-incomplete">
              尚不完整
            </Text>
          ) : undefined
        }
      >
        {(d) => (
          <View>
            <View className="muted card-sub" data-testid="month-label">
              {`${d.period.start.slice(0, 10)} 起至今，对比上月同期（${d.previous.length ? `至 ${shortWall(d.previousCutoff)}` : '无数据'}）`}
            </View>
            <EnergySummary
              previousName="上月同期"
              figures={d.figures}
              previous={d.previous}
              testId="month-figures"
            />
          </View>
        )}
      </Card>
      <MonthTce figures={month.data?.figures} />
      <Card
        title="实时负荷"
        testId="live"
        remote={live}
        empty={(d) => (d.meter ? null : '尚未设置电总表（在仪表中勾选“总表”）')}
      >
        {(d) => (
          <View className="kpis">
            <View className="kpi" data-testid="live-power">
              <View className="muted">{`总有功功率（${hm(d.powerAt)}）`}</View>
              <Text className="kpi-value">{formatPower(d.power)}</Text>
            </View>
            <View className="kpi" data-testid="live-peak">
              <View className="muted">{`今日最大需量（${hm(d.peakAt)}）`}</View>
              <Text className={`kpi-value${over(d) ? ' warn-text' : ''}`}>{formatPower(d.peak)}</Text>
              <View className={over(d) ? 'muted warn-text' : 'muted'} data-testid="live-contract">
                {d.contract === null
                  ? '未设置合同需量'
                  : `合同需量 ${formatPower(d.contract)}${d.peak !== null ? `，已用 ${formatPercent((d.peak / d.contract) * 100, 1)}` : ''}${over(d) ? '，已超出' : ''}`}
              </View>
            </View>
            <View className="kpi" data-testid="live-pf">
              <View className="muted">功率因数</View>
              <Text className={`kpi-value${d.pf !== null && d.pf < 0.9 ? ' warn-text' : ''}`}>
                {formatNumber(d.pf)}
              </Text>
              {d.pf !== null && d.pf < 0.9 && (
                <View className="muted warn-text">低于 0.90，可能产生力调电费</View>
              )}
            </View>
            <View className="kpi muted">{`计量：${d.meter}`}</View>
          </View>
        )}
      </Card>
      <Card
        title="本月能耗前五（按机器）"
        testId="top"
        remote={top}
        empty={(d) => (d.list.length ? null : '本月暂无能耗数据')}
      >
        {(d) => (
          <View>
            <View className="muted card-sub">
              {d.by === 'cost' ? '按总费用排序' : '按用电量排序（部分机器未配置费率）'}
            </View>
            {d.list.map((c, i) => (
              <View className="row" key={c.name} data-testid="top-row">
                <View>
                  <Text>{`${i + 1}. ${c.name}`}</Text>
                  <View className="muted">{c.department}</View>
                </View>
                <View style={{ textAlign: 'right' }}>
                  <Text>
                    {d.by === 'cost'
                      ? formatMoney(c.cost, { compact: true })
                      : formatEnergy(c.kwh, 0, { compact: true })}
                  </Text>
                  <View className="muted">
                    {d.by === 'cost'
                      ? `电 ${formatEnergy(c.kwh, 0, { compact: true })}`
                      : c.cost !== null
                        ? formatMoney(c.cost, { compact: true })
                        : ''}
                  </View>
                </View>
              </View>
            ))}
          </View>
        )}
      </Card>
      <Card
        title="本月每日趋势"
        testId="trend"
        remote={trend}
        empty={(d) => (trendTypes(d).length ? null : '暂无趋势数据')}
      >
        {(d) => {
          const types = trendTypes(d);
          const type = trendType && types.includes(trendType) ? trendType : types[0]!;
          const t = trendOf(d, type);
          return (
            <View>
              {types.length > 1 && (
                <Segmented
                  value={type}
                  options={types.map((k) => ({ label: energyName(k), value: k }))}
                  onChange={(v) => setTrendType(String(v))}
                />
              )}
              <TrendChart labels={t.labels} series={t.series} unit={energyUnit(type)} />
            </View>
          );
        }}
      </Card>
      <View className="actions">
        <Button type="primary" onClick={() => go('energyDetail', { by: 'department' })}>
          按部门
        </Button>
        <Button onClick={() => go('energyDetail', { by: 'machine' })}>按机器</Button>
        <Button onClick={() => go('energyDetail', { by: 'meter' })}>按仪表</Button>
        <Button onClick={() => go('rates')}>费率</Button>
        <Button onClick={() => go('oeeMachine')}>设备状态/OEE</Button>
        <Button onClick={() => go('charging')}>充电</Button>
        <Button onClick={() => go('plants')}>电站</Button>
      </View>
    </View>
  );
}
