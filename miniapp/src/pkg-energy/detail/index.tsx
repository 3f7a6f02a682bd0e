import { useState } from 'react';
import { View, Text, Picker } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { Button, Segmented } from '../../ui/nutui';
import { createReport, fetchPersonalise } from '../../api/energy';
import { readSession } from '../../api/session';
import { userMessage } from '../../api/errors';
import { openReport } from '../../platform/files';
import { useRemote } from '../../hooks/useRemote';
import { StateView } from '../../components/StateView';
import { TrendChart } from '../../components/TrendChart';
import { energyName, energyUnit, formatChange, formatEnergy, formatMoney } from '../../domain/format';
import {
  parseWall,
  periodLabel,
  periodOf,
  ruleOf,
  wallClock,
  type Rule,
  type TimeType,
  type Wall,
} from '../../domain/periods';
import {
  amountTypeOf,
  byNames,
  chartOf,
  groupTotals,
  loadChart,
  loadDetail,
  typesWithData,
  yearAgo,
  type By,
} from './load';

const pad = (n: number) => String(n).padStart(2, '0');

/** The picker's value for a period anchor, and back: a date picker by year, month or day. */
function pickerValue(type: TimeType, a: Wall): string {
  if (type === 1) return String(a.y);
  if (type === 2) return `${a.y}-${pad(a.m)}`;
  return `${a.y}-${pad(a.m)}-${pad(a.d)}`;
}
function anchorOf(type: TimeType, rule: Rule, value: string): Wall {
  const [y, m = rule.yearMonth, d = rule.monthDay] = value.split('-').map(Number) as [
    number,
    number?,
    number?,
  ];
  // A business month or year is named by the calendar month it begins in.
  const mm = type === 1 ? rule.yearMonth : m;
  const dd = type === 3 ? d : rule.monthDay;
  const last = new Date(Date.UTC(y, mm, 0)).getUTCDate();
  return { y, m: mm, d: Math.min(dd, last), min: rule.dayMinute };
}

/**
 * Energy by department, machine or meter for a period on the site's own boundaries: a date picker for
 * the period, one energy type at a time, totals sorted by amount or cost with the change against the
 * same period a year earlier, a chart of the period's buckets beside last year's, and an empty state.
 */
export default function EnergyDetailPage() {
  const initial = useRouter().params.by as By | undefined;
  const [by, setBy] = useState<By>(initial && initial in amountTypeOf ? initial : 'department');
  const [timeType, setTimeType] = useState<TimeType>(2);
  const [picked, setPicked] = useState<Wall>();
  const [energyType, setEnergyType] = useState<string>();
  const [sort, setSort] = useState<'amount' | 'cost'>('amount');
  const settings = useRemote(fetchPersonalise, 'personalise', { pullToRefresh: false });
  const rule = ruleOf(settings.data);
  const now = wallClock(new Date(), settings.data?.Time_Zone || undefined);
  const current = periodOf(timeType, rule, now);
  const anchor = picked ?? now;
  const period = periodOf(timeType, rule, anchor);
  const ago = yearAgo(timeType, rule, parseWall(period.start)!);
  const isCurrent = period.start === current.start;
  const ready = settings.data !== undefined;

  const detail = useRemote(
    async () => (ready ? loadDetail(by, timeType, period, ago) : undefined),
    `${by}:${timeType}:${period.start}:${ready ? 1 : 0}`,
  );
  const types = typesWithData(detail.data?.rows ?? []);
  const type = energyType && types.includes(energyType) ? energyType : types[0];
  const chart = useRemote(
    async () => (ready && type !== undefined ? loadChart(timeType, period, ago, type) : undefined),
    `${timeType}:${period.start}:${type ?? '-'}`,
  );
  const groups =
    detail.data && type !== undefined
      ? groupTotals(by, detail.data.rows, detail.data.lastYear, type, sort)
      : [];
  const total = groups.reduce((s, g) => s + g.amount, 0);
  const priced = groups.some((g) => g.cost !== null);
  const shift = (n: number) => setPicked(parseWall(periodOf(timeType, rule, anchor, n).start)!);
  const c = chart.data ? chartOf(chart.data, timeType, now) : null;
  const [report, setReport] = useState<{ busy: boolean; text?: string; failed?: boolean }>({ busy: false });
  const exportReport = async () => {
    setReport({ busy: true, text: '正在生成报表…' });
    try {
      const made = await createReport({ timeType, period, amountType: amountTypeOf[by] });
      const opened = await openReport(made.File_Url, made.File_Name, readSession()?.token ?? '');
      setReport({
        busy: false,
        text:
          opened === 'opened' ? `已打开 ${made.File_Name}，可从右上角菜单转发` : `已下载 ${made.File_Name}`,
      });
    } catch (err) {
      setReport({ busy: false, failed: true, text: userMessage(err) });
    }
  };

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
              setPicked(undefined);
            }}
          />
        </View>
        <View className="row">
          <Button size="small" onClick={() => shift(-1)}>
            上一期
          </Button>
          <Picker
            mode="date"
            fields={timeType === 1 ? 'year' : timeType === 2 ? 'month' : 'day'}
            value={pickerValue(timeType, parseWall(period.start)!)}
            end={pickerValue(timeType, parseWall(current.start)!)}
            data-testid="period-picker"
            onChange={(e) => setPicked(anchorOf(timeType, rule, String(e.detail.value)))}
          >
            <Text
              data-testid="period-label"
              className="field-input"
            >{`${periodLabel(timeType, period)} ▾`}</Text>
          </Picker>
          <Button size="small" disabled={isCurrent} onClick={() => shift(1)}>
            下一期
          </Button>
        </View>
        <View className="muted">{`统计区间：${period.start} 至 ${period.end}`}</View>
        <View className="muted">{`同比：${ago.start.slice(0, 10)} 起的同一时段`}</View>
      </View>
      <StateView
        loading={settings.loading || detail.loading}
        error={settings.error ?? detail.error}
        empty={detail.data !== undefined && groups.length === 0}
        emptyText={isCurrent ? '本期暂无能耗数据' : '该时段没有能耗数据，换一个时段看看'}
        onRetry={() => void (settings.error ? settings.reload() : detail.reload())}
      >
        {detail.data && type !== undefined && (
          <View>
            <View className="card">
              {types.length > 1 && (
                <Segmented
                  value={type}
                  options={types.map((k) => ({ label: energyName(k), value: k }))}
                  onChange={(v) => setEnergyType(String(v))}
                />
              )}
              <View className="row">
                <Text>{`${energyName(type)}合计`}</Text>
                <Text className="big-number" data-testid="detail-total">
                  {formatEnergy(total, type, { compact: true })}
                </Text>
              </View>
              {chart.error ? (
                <View className="error-text" data-testid="chart-error">
                  {chart.error}
                  <Button size="small" onClick={() => void chart.reload()}>
                    重试
                  </Button>
                </View>
              ) : c ? (
                <TrendChart labels={c.labels} series={c.series} unit={energyUnit(type)} kind="bar" />
              ) : (
                <View className="skeleton-line" />
              )}
            </View>
            <View className="card">
              <View className="card-head">
                <Text className="card-title">{`按${byNames[by]}（${groups.length}）`}</Text>
                {priced && (
                  <Segmented
                    value={sort}
                    options={[
                      { label: '按用量', value: 'amount' },
                      { label: '按费用', value: 'cost' },
                    ]}
                    onChange={(v) => setSort(v as 'amount' | 'cost')}
                  />
                )}
              </View>
              {groups.map((g) => {
                const yoy = formatChange(g.amount, g.lastYear);
                return (
                  <View className="row" key={g.name} data-testid="energy-group">
                    <View>
                      <Text>{g.name}</Text>
                      <View className="muted">{`占 ${total > 0 ? ((g.amount / total) * 100).toFixed(1) : '0.0'}%${yoy ? ` · 同比 ${yoy}` : ' · 去年同期无数据'}`}</View>
                    </View>
                    <View style={{ textAlign: 'right' }}>
                      <Text data-testid="group-amount">
                        {formatEnergy(g.amount, type, { compact: true })}
                      </Text>
                      <View className="muted" data-testid="group-cost">
                        {g.cost !== null ? formatMoney(g.cost, { compact: true }) : '未配置费率'}
                      </View>
                    </View>
                  </View>
                );
              })}
            </View>
          </View>
        )}
      </StateView>
      <View className="card" data-testid="report-card">
        <View className="card-head">
          <Text className="card-title">能源报表</Text>
          <Button
            size="small"
            type="primary"
            loading={report.busy}
            disabled={report.busy || !ready}
            onClick={() => void exportReport()}
          >
            导出 Excel
          </Button>
        </View>
        <View className="muted">{`${periodLabel(timeType, period)}，按${byNames[by]}，含各能源类型与班次`}</View>
        {report.text && (
          <View className={report.failed ? 'error-text' : 'muted'} data-testid="report-status">
            {report.text}
          </View>
        )}
      </View>
    </View>
  );
}
