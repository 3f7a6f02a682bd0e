import { useEffect, useState } from 'react';
import { View, Text, Input } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { Button, Segmented } from '../../ui/nutui';
import {
  fetchBill,
  findBills,
  prepareBillPayment,
  signInDriver,
  type Bill,
  type BillQuery,
} from '../../api/driver';
import { userMessage } from '../../api/errors';
import { Skeleton } from '../../components/StateView';
import { payStateName } from '../../domain/charging';
import { formatMoney, formatWithUnit } from '../../domain/format';
import { canScan, requestPayment, scanConnectorCode } from '../../platform/pay';
import '../charging.css';

/** How long the page asks the backend whether a payment arrived before it says "确认中" (tests shorten it). */
export const confirmPolicy = { tries: 8, gapMs: 1500 };

const PAID = 2;

type Stage =
  | { kind: 'signing-in' }
  | { kind: 'signin-error'; message: string }
  | { kind: 'find' }
  | { kind: 'bill'; bill: Bill; notice?: { tone: 'warning' | 'error'; text: string } }
  | { kind: 'confirming'; bill: Bill }
  | { kind: 'paid'; bill: Bill }
  | { kind: 'pending'; bill: Bill };

type By = 'connector' | 'plate' | 'phone';
const BY: { value: By; label: string; placeholder: string }[] = [
  { value: 'connector', label: '充电枪编码', placeholder: '请输入充电枪上的编码' },
  { value: 'plate', label: '车牌号', placeholder: '如 沪A12345' },
  { value: 'phone', label: '手机号', placeholder: '请输入 11 位手机号' },
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function BillCard({ bill }: { bill: Bill }) {
  return (
    <View className="card" data-testid="bill">
      <View className="card-title">{bill.stationName || '充电站'}</View>
      <View className="charging-bill-amount" data-testid="bill-money">
        {formatMoney(bill.money)}
      </View>
      <View className="row">
        <Text className="muted">充电量</Text>
        <Text data-testid="bill-kwh">{formatWithUnit(bill.kwh, 'kWh')}</Text>
      </View>
      {bill.connectorName && (
        <View className="row">
          <Text className="muted">充电枪</Text>
          <Text>{bill.connectorName}</Text>
        </View>
      )}
      {bill.plate && (
        <View className="row">
          <Text className="muted">车牌号</Text>
          <Text>{bill.plate}</Text>
        </View>
      )}
      <View className="row">
        <Text className="muted">开始时间</Text>
        <Text data-testid="bill-start">{bill.start}</Text>
      </View>
      <View className="row">
        <Text className="muted">结束时间</Text>
        <Text data-testid="bill-end">{bill.end}</Text>
      </View>
      <View className="row">
        <Text className="muted">支付状态</Text>
        <Text data-testid="bill-state">{payStateName(bill.payState)}</Text>
      </View>
    </View>
  );
}

/**
 * The driver's flow: sign in with WeChat alone, find a finished session's bill by the connector's code
 * (scanned, or typed in the browser build) or by plate/phone, pay it with WeChat Pay, and see the
 * outcome — 已支付 only once the backend says the bill is paid.
 */
export default function DriverPayPage() {
  const params = useRouter().params as { connector?: string };
  const [stage, setStage] = useState<Stage>({ kind: 'signing-in' });
  const [by, setBy] = useState<By>('connector');
  const [text, setText] = useState(params.connector ? decodeURIComponent(params.connector) : '');
  const [searching, setSearching] = useState(false);
  const [searchError, setSearchError] = useState<string>();
  const [results, setResults] = useState<Bill[]>();
  const [busy, setBusy] = useState(false);

  const signIn = async () => {
    setStage({ kind: 'signing-in' });
    try {
      await signInDriver();
      setStage({ kind: 'find' });
    } catch (err) {
      setStage({ kind: 'signin-error', message: userMessage(err) });
    }
  };
  useEffect(() => {
    void signIn();
  }, []);

  const search = async (query: BillQuery) => {
    setSearching(true);
    setSearchError(undefined);
    setResults(undefined);
    try {
      const bills = await findBills(query);
      if (bills.length === 1) setStage({ kind: 'bill', bill: bills[0]! });
      else setResults(bills);
    } catch (err) {
      setSearchError(userMessage(err));
    } finally {
      setSearching(false);
    }
  };
  const submit = () => {
    const v = text.trim();
    if (!v) {
      setSearchError(`请输入${BY.find((b) => b.value === by)!.label}`);
      return;
    }
    if (by === 'phone' && !/^1\d{10}$/.test(v)) {
      setSearchError('手机号应为 11 位数字');
      return;
    }
    void search(by === 'connector' ? { connector: v } : by === 'plate' ? { plate: v } : { phone: v });
  };
  const scan = async () => {
    const code = await scanConnectorCode();
    if (!code) return;
    setBy('connector');
    setText(code);
    void search({ connector: code });
  };

  /** Asks the backend until it says paid (or the tries run out: then the result is still pending). */
  const confirm = async (bill: Bill) => {
    setStage({ kind: 'confirming', bill });
    let latest = bill;
    for (let i = 0; i < confirmPolicy.tries; i++) {
      if (i > 0) await sleep(confirmPolicy.gapMs);
      try {
        latest = await fetchBill(bill.id);
      } catch {
        continue; // a lost answer is not a result; ask again
      }
      if (latest.payState === PAID) {
        setStage({ kind: 'paid', bill: latest });
        return;
      }
      if (latest.payState !== 0 && latest.payState !== 1) break; // closed or refunded: show the bill
    }
    if (latest.payState === 0 || latest.payState === 1) setStage({ kind: 'pending', bill: latest });
    else
      setStage({
        kind: 'bill',
        bill: latest,
        notice: { tone: 'error', text: `账单${payStateName(latest.payState)}，未完成支付` },
      });
  };

  const pay = async (bill: Bill) => {
    if (busy) return;
    setBusy(true);
    try {
      const prepared = await prepareBillPayment(bill.id);
      const outcome = await requestPayment(prepared, bill);
      if (outcome.kind === 'cancel')
        setStage({ kind: 'bill', bill, notice: { tone: 'warning', text: '已取消支付，账单仍待支付' } });
      else if (outcome.kind === 'fail')
        setStage({
          kind: 'bill',
          bill,
          notice: { tone: 'error', text: '支付未成功，请稍后重试（未扣款时账单仍待支付）' },
        });
      else await confirm(bill);
    } catch (err) {
      setStage({ kind: 'bill', bill, notice: { tone: 'error', text: userMessage(err) } });
    } finally {
      setBusy(false);
    }
  };

  const back = () => {
    setResults(undefined);
    setStage({ kind: 'find' });
  };

  if (stage.kind === 'signing-in')
    return (
      <View className="page">
        <Skeleton rows={3} />
      </View>
    );
  if (stage.kind === 'signin-error')
    return (
      <View className="page">
        <View className="card" data-testid="state-error">
          <Text className="error-text">{stage.message}</Text>
          <View className="actions">
            <Button size="small" onClick={() => void signIn()}>
              重试
            </Button>
          </View>
        </View>
      </View>
    );

  if (stage.kind === 'find')
    return (
      <View className="page">
        <View className="card" data-testid="driver-find">
          <View className="card-title">查找充电账单</View>
          <Text className="muted">车主用微信即可支付，无需注册账号</Text>
          {canScan && (
            <View className="actions">
              <Button type="primary" block onClick={() => void scan()}>
                扫充电枪上的二维码
              </Button>
            </View>
          )}
          <View className="actions">
            <Segmented
              value={by}
              options={BY.map((b) => ({ label: b.label, value: b.value }))}
              onChange={(v) => {
                setBy(v as By);
                setSearchError(undefined);
              }}
            />
          </View>
          <View className="field">
            <Input
              className="field-input"
              data-testid="driver-query"
              value={text}
              placeholder={BY.find((b) => b.value === by)!.placeholder}
              onInput={(e) => setText(e.detail.value)}
              onConfirm={submit}
            />
            {searchError && (
              <View className="field-error" data-testid="driver-find-error">
                {searchError}
              </View>
            )}
          </View>
          <View className="actions">
            <Button block type={canScan ? 'default' : 'primary'} loading={searching} onClick={submit}>
              查找账单
            </Button>
          </View>
        </View>
        {results && results.length === 0 && (
          <View className="card empty" data-testid="state-empty">
            <Text className="muted">没有找到待支付的充电账单：请确认编码、车牌号或手机号，或稍后再查</Text>
          </View>
        )}
        {results && results.length > 1 && (
          <View className="card" data-testid="driver-results">
            <View className="card-title">{`找到 ${results.length} 张账单`}</View>
            {results.map((b) => (
              <View
                key={b.id}
                className="charging-connector"
                data-testid="driver-result"
                onClick={() => setStage({ kind: 'bill', bill: b })}
              >
                <View className="charging-connector-head">
                  <Text>{b.stationName || '充电站'}</Text>
                  <Text>{formatMoney(b.money)}</Text>
                </View>
                <Text className="muted">{`${b.end} 结束 · ${payStateName(b.payState)} ›`}</Text>
              </View>
            ))}
          </View>
        )}
      </View>
    );

  const bill = stage.bill;
  return (
    <View className="page">
      {stage.kind === 'paid' && (
        <View className="card notice-ok" data-testid="pay-paid">
          {`已支付 ${formatMoney(bill.money)}${bill.paidAt ? `（${bill.paidAt}）` : ''}，感谢使用`}
        </View>
      )}
      {stage.kind === 'confirming' && (
        <View className="card notice-warning" data-testid="pay-confirming">
          正在确认支付结果…
        </View>
      )}
      {stage.kind === 'pending' && (
        <View className="card notice-warning" data-testid="pay-pending">
          支付结果确认中：微信支付尚未通知到账，请稍后点“刷新支付结果”，请勿重复支付
        </View>
      )}
      {stage.kind === 'bill' && stage.notice && (
        <View
          className={`card ${stage.notice.tone === 'error' ? 'notice-error' : 'notice-warning'}`}
          data-testid={stage.notice.tone === 'error' ? 'pay-error' : 'pay-cancelled'}
        >
          {stage.notice.text}
        </View>
      )}
      <BillCard bill={bill} />
      <View className="actions">
        {stage.kind === 'bill' && (bill.payState === 0 || bill.payState === 1) && (
          <Button type="primary" block loading={busy} disabled={busy} onClick={() => void pay(bill)}>
            {`微信支付 ${formatMoney(bill.money)}`}
          </Button>
        )}
        {stage.kind === 'bill' && bill.payState === PAID && (
          <View className="card notice-ok" data-testid="pay-paid">
            这张账单已支付
          </View>
        )}
        {(stage.kind === 'pending' || (stage.kind === 'bill' && bill.payState === 1)) && (
          <Button block onClick={() => void confirm(bill)}>
            刷新支付结果
          </Button>
        )}
        {stage.kind !== 'confirming' && (
          <Button block onClick={back}>
            查找其他账单
          </Button>
        )}
      </View>
    </View>
  );
}
