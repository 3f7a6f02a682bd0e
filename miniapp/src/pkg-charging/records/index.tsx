import { useState } from 'react';
import { View, Text, Picker, Input } from '@tarojs/components';
import type { PayState } from '@wattdesk/shared';
import { Button, Segmented } from '../../ui/nutui';
import { fetchPersonalise } from '../../api/energy';
import { fetchRecords, fetchStations, type ChargingRecord } from '../../api/charging';
import { useRemote } from '../../hooks/useRemote';
import { StateView } from '../../components/StateView';
import { payStateName } from '../../domain/charging';
import { formatMoney, formatWithUnit } from '../../domain/format';
import { ruleOf, wallClock } from '../../domain/periods';
import { rangePeriod, timeRanges, type TimeRange } from '../../pages/alarms/filters';
import { Totals } from '../Totals';
import '../charging.css';

const PAGE = 20;

function RecordItem({ record: r }: { record: ChargingRecord }) {
  return (
    <View className="charging-connector" data-testid="charging-record">
      <View className="charging-connector-head">
        <Text>{r.Station_Name || '充电站'}</Text>
        <Text data-testid="record-money">{formatMoney(r.Total_Money)}</Text>
      </View>
      <Text className="muted">{`充电枪 ${r.Cell_Id} · ${r.Start_Time} 至 ${r.End_Time}`}</Text>
      <View className="charging-figures">
        <Text data-testid="record-kwh">电量 {formatWithUnit(r.Total_Power, 'kWh')}</Text>
        {r.Plate_No && <Text>车牌 {r.Plate_No}</Text>}
        <Text data-testid="record-pay">{payStateName(r.Pay_State)}</Text>
      </View>
    </View>
  );
}

/** The pay-state choices of the filter ('' = every record). */
const PAY_FILTERS: { label: string; value: '' | PayState }[] = [
  { label: '全部', value: '' },
  { label: '待支付', value: 'unpaid' },
  { label: '已支付', value: 'paid' },
  { label: '已退款', value: 'refunded' },
];

/** Charging records of the site, by period and station, with the selection's totals. */
export default function ChargingRecordsPage() {
  const [range, setRange] = useState<TimeRange>('week');
  const [station, setStation] = useState(0);
  const [payState, setPayState] = useState<'' | PayState>('');
  const [plateText, setPlateText] = useState('');
  const [plate, setPlate] = useState('');
  const [shown, setShown] = useState(PAGE);
  const settings = useRemote(fetchPersonalise, 'personalise', { pullToRefresh: false });
  const stations = useRemote(fetchStations, 'stations', { pullToRefresh: false });
  const ready = !!(settings.data || settings.error);
  const period = rangePeriod(
    range,
    ruleOf(settings.data),
    wallClock(new Date(), settings.data?.Time_Zone || undefined),
  );
  const stationList = stations.data ?? [];
  const stationId = station > 0 ? stationList[station - 1]?.Station_Id : undefined;
  const list = useRemote(
    async () =>
      ready
        ? fetchRecords({
            start: period.start,
            end: period.end,
            stationId,
            payState: payState || undefined,
            plate,
            pageSize: shown,
          })
        : undefined,
    `${period.start}:${stationId ?? ''}:${payState}:${plate}:${shown}:${ready ? 1 : 0}`,
  );
  const change = (apply: () => void) => {
    apply();
    setShown(PAGE);
  };
  const items = list.data?.items ?? [];
  const stationName = station > 0 ? (stationList[station - 1]?.Station_Name ?? '全部充电站') : '全部充电站';

  return (
    <View className="page">
      <View className="card filter-bar" data-testid="record-filters">
        <Segmented
          value={range}
          options={timeRanges.map((r) => ({ label: r.label, value: r.key }))}
          onChange={(v) => change(() => setRange(v as TimeRange))}
        />
        <Picker
          mode="selector"
          range={['全部充电站', ...stationList.map((s) => s.Station_Name)]}
          value={station}
          onChange={(e) => change(() => setStation(Number(e.detail.value)))}
          data-testid="station-filter"
        >
          <View className="filter-picker">{`充电站：${stationName} ›`}</View>
        </Picker>
        <View className="actions">
          <Segmented
            value={payState}
            options={PAY_FILTERS}
            onChange={(v) => change(() => setPayState(v as '' | PayState))}
          />
        </View>
        <View className="actions">
          <Input
            className="field-input"
            data-testid="plate-filter"
            value={plateText}
            placeholder="按车牌号筛选，如 沪A12345"
            onInput={(e) => setPlateText(e.detail.value)}
            onConfirm={() => change(() => setPlate(plateText.trim()))}
          />
          <Button size="small" onClick={() => change(() => setPlate(plateText.trim()))}>
            筛选
          </Button>
        </View>
      </View>
      <StateView
        loading={list.loading || list.data === undefined}
        error={list.error}
        empty={list.data !== undefined && items.length === 0}
        emptyText="所选范围内没有充电记录"
        onRetry={() => void list.reload()}
      >
        {list.data && (
          <View>
            <View className="card" data-testid="record-totals">
              <Totals title="所选范围合计" totals={list.data.totals} testId="record-sum" />
            </View>
            <View data-testid="record-list">
              {items.map((r) => (
                <RecordItem key={r.id} record={r} />
              ))}
            </View>
            {items.length < list.data.total ? (
              <View className="actions">
                <Button block loading={list.loading} onClick={() => setShown(shown + PAGE)}>
                  {`加载更多（已显示 ${items.length} / ${list.data.total} 条）`}
                </Button>
              </View>
            ) : (
              <Text className="muted">{`共 ${list.data.total} 条`}</Text>
            )}
          </View>
        )}
      </StateView>
    </View>
  );
}
