import { useState } from 'react';
import { View, Text, Input, Picker } from '@tarojs/components';
import { Button, Segmented } from '../../ui/nutui';
import { useRemote } from '../../hooks/useRemote';
import { StateView } from '../../components/StateView';
import { RateBar, SegmentList } from '../../components/RateBar';
import { deleteRate, fetchRates, saveRate } from '../../api/rates';
import { readSession } from '../../api/session';
import { userMessage } from '../../api/errors';
import { formatRate } from '../../domain/format';
import {
  HALF_HOURS,
  minutesOf,
  priceProblem,
  rateBody,
  ratesOf,
  segmentsProblem,
  type Rate,
  type Segment,
} from '../../domain/rates';

interface Draft {
  kind: 'flat' | 'tou';
  price: string;
  segments: Segment[];
}

function draftOf(r: Rate): Draft {
  if (r.kind === 'tou') return { kind: 'tou', price: '', segments: r.segments.map((s) => ({ ...s })) };
  return { kind: 'flat', price: r.price, segments: [] };
}

/** A first time-of-use layout: valley at night, flat by day (electricity), or one whole-day segment. */
function touTemplate(r: Rate, price: string): Segment[] {
  if (r.type !== 0) return [{ begin: '00:00', end: '24:00', price }];
  return [
    { begin: '00:00', end: '08:00', price: '' },
    { begin: '08:00', end: '22:00', price },
    { begin: '22:00', end: '24:00', price: '' },
  ];
}

/** Segments that follow each other by construction: each begins where the one before ends. */
function chain(segments: Segment[]): Segment[] {
  let at = '00:00';
  return segments.map((s, i) => {
    const next = { ...s, begin: at, end: i === segments.length - 1 ? '24:00' : s.end };
    at = next.end;
    return next;
  });
}

function Editor({ rate, onDone }: { rate: Rate; onDone: (saved: boolean) => void }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(rate));
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const problem = draft.kind === 'flat' ? priceProblem(draft.price) : segmentsProblem(draft.segments);
  const setSegments = (segments: Segment[]) => setDraft({ ...draft, segments: chain(segments) });

  const save = async () => {
    if (problem) return setError(problem);
    setSaving(true);
    setError(undefined);
    try {
      await saveRate(rateBody(rate, draft.kind, draft.price, draft.segments));
      onDone(true);
    } catch (err) {
      setError(userMessage(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <View data-testid={`rate-editor-${rate.type}`}>
      <Segmented
        value={draft.kind}
        options={[
          { label: '统一单价', value: 'flat' },
          { label: '分时电价', value: 'tou' },
        ]}
        onChange={(v) =>
          setDraft(
            v === 'tou'
              ? {
                  ...draft,
                  kind: 'tou',
                  segments: draft.segments.length ? draft.segments : touTemplate(rate, draft.price),
                }
              : { ...draft, kind: 'flat' },
          )
        }
      />
      {draft.kind === 'flat' ? (
        <View className="field">
          <View className="field-label">{`单价（元/${rate.unit}）`}</View>
          <Input
            className="field-input"
            type="digit"
            data-testid="flat-price"
            value={draft.price}
            placeholder="例如 0.85"
            onInput={(e) => setDraft({ ...draft, price: e.detail.value })}
          />
        </View>
      ) : (
        <View>
          <RateBar segments={draft.segments.filter((s) => !priceProblem(s.price))} testId="rate-bar-draft" />
          {draft.segments.map((s, i) => {
            const last = i === draft.segments.length - 1;
            const ends = HALF_HOURS.filter((h) => minutesOf(h) > minutesOf(s.begin) && minutesOf(h) < 1440);
            return (
              <View className="field" key={i} data-testid="seg-editor">
                <View className="field-label">{`第 ${i + 1} 段：${s.begin} 至 ${last ? '24:00' : ''}`}</View>
                <View className="row" style={{ gap: '12px' }}>
                  {!last && (
                    <Picker
                      mode="selector"
                      range={ends}
                      value={Math.max(0, ends.indexOf(s.end))}
                      data-testid="seg-end"
                      onChange={(e) => {
                        const list = [...draft.segments];
                        list[i] = { ...s, end: ends[Number(e.detail.value)]! };
                        setSegments(list);
                      }}
                    >
                      <View className="field-input">{s.end}</View>
                    </Picker>
                  )}
                  <Input
                    className="field-input"
                    type="digit"
                    data-testid="seg-price"
                    value={s.price}
                    placeholder={`单价 元/${rate.unit}`}
                    onInput={(e) => {
                      const list = [...draft.segments];
                      list[i] = { ...s, price: e.detail.value };
                      setDraft({ ...draft, segments: list });
                    }}
                  />
                  {draft.segments.length > 1 && (
                    <Button
                      size="small"
                      onClick={() => setSegments(draft.segments.filter((_, k) => k !== i))}
                    >
                      删除
                    </Button>
                  )}
                </View>
              </View>
            );
          })}
          <Button
            size="small"
            disabled={
              draft.segments.length >= 48 || minutesOf('24:00') - minutesOf(draft.segments.at(-1)!.begin) < 60
            }
            onClick={() => {
              // Splits the last segment in two on the half-hour grid.
              const lastSeg = draft.segments.at(-1)!;
              const b = minutesOf(lastSeg.begin);
              const mid = HALF_HOURS[Math.round((b + 1440) / 60)]!;
              setSegments([
                ...draft.segments.slice(0, -1),
                { ...lastSeg, end: mid },
                { begin: mid, end: '24:00', price: '' },
              ]);
            }}
          >
            添加时段
          </Button>
        </View>
      )}
      {(error ?? problem) && (
        <View className={error ? 'field-error' : 'muted'} data-testid="rate-problem">
          {error ?? problem}
        </View>
      )}
      <View className="actions">
        <Button type="primary" loading={saving} disabled={saving} onClick={() => void save()}>
          保存
        </Button>
        <Button disabled={saving} onClick={() => onDone(false)}>
          取消
        </Button>
      </View>
    </View>
  );
}

/** Rates per energy type (4.2), set by admins as a flat price or time-of-use segments, drawn on a 24-hour bar. */
export default function RatesPage() {
  const remote = useRemote(fetchRates, 'rates');
  const [editing, setEditing] = useState<number>();
  const [removing, setRemoving] = useState<number>();
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<string>();
  const admin = readSession()?.role === 'admin';
  const rates = ratesOf(remote.data ?? []);

  const remove = async (r: Rate) => {
    setError(undefined);
    try {
      await deleteRate(r.type);
      setNotice(`已删除${r.name}费率`);
      setRemoving(undefined);
      await remote.reload();
    } catch (err) {
      setError(userMessage(err));
    }
  };

  return (
    <View className="page">
      {!admin && <View className="banner">只有管理员可以修改费率</View>}
      {notice && (
        <View className="banner" data-testid="rate-notice">
          {notice}
        </View>
      )}
      {error && (
        <View className="card error-text" data-testid="rate-error">
          {error}
        </View>
      )}
      <StateView
        loading={remote.loading && !remote.data}
        error={remote.error}
        onRetry={() => void remote.reload()}
      >
        {remote.data === undefined
          ? undefined
          : rates.map((r) => (
              <View className="card" key={r.type} data-testid={`rate-${r.type}`}>
                <View className="card-head">
                  <Text className="card-title">{r.name}</Text>
                  <Text className="muted" data-testid="rate-summary">
                    {r.kind === 'none'
                      ? '未配置费率'
                      : r.kind === 'flat'
                        ? formatRate(r.price, r.type)
                        : `分时 ${r.segments.length} 段`}
                  </Text>
                </View>
                {editing === r.type ? (
                  <Editor
                    rate={r}
                    onDone={(saved) => {
                      setEditing(undefined);
                      if (saved) {
                        setNotice(`${r.name}费率已保存，费用已按新费率重新计算`);
                        void remote.reload();
                      }
                    }}
                  />
                ) : (
                  <View>
                    {r.kind === 'tou' && (
                      <View>
                        <RateBar segments={r.segments} />
                        <SegmentList segments={r.segments} unit={r.unit} />
                      </View>
                    )}
                    {admin && (
                      <View className="actions">
                        <Button
                          size="small"
                          type={r.kind === 'none' ? 'primary' : 'default'}
                          onClick={() => {
                            setNotice(undefined);
                            setEditing(r.type);
                          }}
                        >
                          {r.kind === 'none' ? '设置费率' : '修改'}
                        </Button>
                        {r.kind !== 'none' &&
                          (removing === r.type ? (
                            <Button size="small" type="danger" onClick={() => void remove(r)}>
                              确认删除
                            </Button>
                          ) : (
                            <Button size="small" onClick={() => setRemoving(r.type)}>
                              删除
                            </Button>
                          ))}
                      </View>
                    )}
                  </View>
                )}
              </View>
            ))}
      </StateView>
    </View>
  );
}
