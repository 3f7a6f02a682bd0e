import { View, Text } from '@tarojs/components';
import { Button } from '../../ui/nutui';
import { useRemote } from '../../hooks/useRemote';
import { StateView } from '../../components/StateView';
import { formatPercent, formatWithUnit } from '../../domain/format';
import { readSession } from '../../api/session';
import { go } from '../../routes';
import { loadOverview } from './load';

const changeText = (c: number | null) =>
  c === null ? '上月无数据' : `${c > 0 ? '↑' : c < 0 ? '↓' : ''}${formatPercent(Math.abs(c), 1)}`;

/**
 * Products and batches: this month's output and comprehensive unit consumption (kgce per product unit)
 * per product against last month, and the best and worst batches by unit consumption.
 */
export default function ProductsPage() {
  const data = useRemote(() => loadOverview(), 'products-overview');
  const admin = readSession()?.role === 'admin';
  const d = data.data;
  return (
    <View className="page">
      <View className="card actions">
        <Button type="primary" size="small" onClick={() => go('outputEntry')}>
          录入产量
        </Button>
        <Button size="small" onClick={() => go('coalFactors')}>
          {admin ? '折标系数设置' : '折标系数'}
        </Button>
      </View>
      <StateView
        loading={data.loading && !d}
        error={data.error}
        empty={!!d && !d.products.length && !d.ranking.best.length}
        emptyText="还没有产量记录：录入产量后即可看到单位产品能耗"
        onRetry={() => void data.reload()}
      >
        {d && (
          <View>
            <View className="card" data-testid="products-month">
              <View className="card-title">本月单位产品综合能耗</View>
              <View className="muted card-sub">{`${d.month.start.slice(0, 10)} 起，对比上月（${d.previous.start.slice(0, 10)} 起）`}</View>
              {d.products.map((p) => (
                <View className="row" key={p.name} data-testid="product-row">
                  <View>
                    <Text>{p.name}</Text>
                    <View className="muted">{`本月产量 ${formatWithUnit(p.output, p.outputUnit)}`}</View>
                  </View>
                  <View style={{ textAlign: 'right' }}>
                    <Text>{formatWithUnit(p.unitNow, p.unit)}</Text>
                    <View className={p.change !== null && p.change > 0 ? 'muted warn-text' : 'muted'}>
                      {`上月 ${formatWithUnit(p.unitBefore, p.unit)}，${changeText(p.change)}`}
                    </View>
                  </View>
                </View>
              ))}
            </View>
            <View className="card" data-testid="batch-ranking">
              <View className="card-title">批次单耗排名</View>
              {d.ranking.best.length ? (
                <View>
                  <View className="muted card-sub">最优（单耗最低）</View>
                  {d.ranking.best.map((r, i) => (
                    <View className="row" key={`b${r.Production_Batch}`} data-testid="batch-best">
                      <Text>{`${i + 1}. ${r.Production_Batch}`}</Text>
                      <Text className="ok-text">{formatWithUnit(r.Total_Amount, r.Unit)}</Text>
                    </View>
                  ))}
                  {d.ranking.worst.length > 0 && <View className="muted card-sub">最差（单耗最高）</View>}
                  {d.ranking.worst.map((r, i) => (
                    <View className="row" key={`w${r.Production_Batch}`} data-testid="batch-worst">
                      <Text>{`${i + 1}. ${r.Production_Batch}`}</Text>
                      <Text className="warn-text">{formatWithUnit(r.Total_Amount, r.Unit)}</Text>
                    </View>
                  ))}
                </View>
              ) : (
                <Text className="muted">{`${d.batches} 个批次，尚无可比较的单耗`}</Text>
              )}
            </View>
          </View>
        )}
      </StateView>
    </View>
  );
}
