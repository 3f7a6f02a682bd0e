import { useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Input } from '@tarojs/components';
import { Button } from '../../ui/nutui';
import { useRemote } from '../../hooks/useRemote';
import { StateView } from '../../components/StateView';
import { fetchCoalFactors, resetCoalFactor, saveCoalFactor } from '../../api/products';
import { readSession } from '../../api/session';
import { userMessage } from '../../api/errors';

/** Standard-coal factors (折标系数) per energy type: everyone reads them; admins change or reset one. */
export default function CoalFactorsPage() {
  const data = useRemote(fetchCoalFactors, 'coal-factors');
  const admin = readSession()?.role === 'admin';
  const [editing, setEditing] = useState<number | null>(null);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const run = async (fn: () => Promise<void>, done: string) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
      setEditing(null);
      void Taro.showToast({ title: done, icon: 'success' });
      await data.reload();
    } catch (err) {
      setError(userMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="page">
      <StateView
        loading={data.loading && !data.data}
        error={data.error}
        empty={!!data.data && !data.data.length}
        onRetry={() => void data.reload()}
      >
        {data.data && (
          <View className="card" data-testid="factors">
            <View className="muted card-sub">
              综合能耗（tce）= Σ 各能源用量 × 折标系数 ÷ 1000；默认值取自 GB/T 2589-2020
            </View>
            {data.data.map((f) => (
              <View key={f.Energy_Type} data-testid="factor-row" className="field">
                <View className="row">
                  <Text>{f.Ene_Name}</Text>
                  <Text data-testid={`factor-${f.Energy_Type}`}>{`${f.Factor} ${f.Factor_Unit}`}</Text>
                </View>
                <View className="muted">{f.Is_Default ? f.Source : `本组织设定：${f.Source}`}</View>
                {admin && editing !== f.Energy_Type && (
                  <View className="actions">
                    <Button
                      size="small"
                      onClick={() => {
                        setEditing(f.Energy_Type);
                        setValue(String(f.Factor));
                        setError(undefined);
                      }}
                    >
                      修改
                    </Button>
                    {!f.Is_Default && (
                      <Button
                        size="small"
                        disabled={busy}
                        onClick={() => void run(() => resetCoalFactor(f.Energy_Type), '已恢复默认')}
                      >
                        恢复默认
                      </Button>
                    )}
                  </View>
                )}
                {admin && editing === f.Energy_Type && (
                  <View>
                    <Input
                      className="field-input"
                      type="digit"
                      value={value}
                      placeholder={`折标系数（${f.Factor_Unit}）`}
                      onInput={(e) => setValue(e.detail.value)}
                      data-testid="factor-input"
                    />
                    {error && <View className="field-error">{error}</View>}
                    <View className="actions">
                      <Button
                        type="primary"
                        size="small"
                        disabled={busy}
                        onClick={() => {
                          const n = Number(value);
                          if (!value.trim() || !Number.isFinite(n) || n <= 0) {
                            setError('请输入大于 0 的数字');
                            return;
                          }
                          void run(() => saveCoalFactor(f.Energy_Type, value.trim(), ''), '已保存');
                        }}
                      >
                        保存
                      </Button>
                      <Button size="small" onClick={() => setEditing(null)}>
                        取消
                      </Button>
                    </View>
                  </View>
                )}
              </View>
            ))}
          </View>
        )}
      </StateView>
    </View>
  );
}
