import { useEffect, useState } from 'react';
import { View, Text } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import type { BillState } from '@wattdesk/shared';
import { Button, Segmented } from '../../ui/nutui';
import {
  claimBills,
  fetchBill,
  fetchMyBills,
  prepareBillPayment,
  signInDriver,
  yuan,
  type Bill,
  type BillQuery,
} from '../../api/driver';
import { userMessage } from '../../api/errors';
import { Skeleton } from '../../components/StateView';
import { TextField } from '../../components/Field';
import { payStateName } from '../../domain/charging';
import { formatMoney, formatWithUnit } from '../../domain/format';
import { canScan, requestPayment, scanConnectorCode } from '../../platform/pay';
import '../charging.css';

/** How long the page asks the backend whether a payment arrived before it says "确认中" (tests shorten it). */
export const confirmPolicy = { tries: 8, gapMs: 1500 };

/** States in which the bill can be paid (a closed order is paid again with a new one). */
const PAYABLE: BillState[] = ['unpaid', 'paying', 'closed'];
/** States in which a payment may still arrive. */
const OPEN: BillState[] = ['unpaid', 'paying'];

type Notice = { tone: 'warning' | 'error'; text: string };
type Stage =
  | { kind: 'signing-in' }
  | { kind: 'signin-error'; message: string }
  | { kind: 'find' }
  | { kind: 'bill'; bill: Bill; notice?: Notice }
  | { kind: 'confirming'; bill: Bill }
  | { kind: 'paid'; bill: Bill }
  | { kind: 'pending'; bill: Bill };

type By = 'code' | 'plate';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The station by its name (its id for a bill made before names were kept). */
const stationOf = (bill: Bill) =>
  bill.Station_Name ? `${bill.Station_Name}（${bill.Station_ID}）` : bill.Station_ID;

function BillRow({ bill, onOpen }: { bill: Bill; onOpen: (b: Bill) => void }) {
  return (
    <View className="charging-connector" data-testid="driver-result" onClick={() => onOpen(bill)}>
      <View className="charging-connector-head">
        <Text>{`充电枪 ${bill.Cell_ID}`}</Text>
        <Text>{formatMoney(yuan(bill.Amount_Fen))}</Text>
      </View>
      <Text className="muted" data-testid="driver-result-station">
        {stationOf(bill)}
      </Text>
      <Text className="muted">{`${bill.End_Time} 结束 · ${formatWithUnit(bill.Total_Power, 'kWh')} · ${payStateName(bill.State)} ›`}</Text>
    </View>
  );
}

function BillCard({ bill }: { bill: Bill }) {
  const rows: [string, string, string?][] = [
    ['充电量', formatWithUnit(bill.Total_Power, 'kWh'), 'bill-kwh'],
    ['电费', formatMoney(yuan(bill.Elec_Fen))],
    ['服务费', formatMoney(yuan(bill.Service_Fen))],
    ['充电站', stationOf(bill), 'bill-station'],
    ['充电枪', bill.Cell_ID],
    ['车牌号', bill.Plate_No],
    ['开始时间', bill.Start_Time, 'bill-start'],
    ['结束时间', bill.End_Time, 'bill-end'],
    ['支付状态', payStateName(bill.State), 'bill-state'],
  ];
  if (bill.Paid_At) rows.push(['支付时间', bill.Paid_At]);
  if (bill.Refunded_Fen > 0) rows.push(['已退款', formatMoney(yuan(bill.Refunded_Fen))]);
  return (
    <View className="card" data-testid="bill">
      <View className="card-title">充电账单</View>
      <View className="charging-bill-amount" data-testid="bill-money">
        {formatMoney(yuan(bill.Amount_Fen))}
      </View>
      {rows
        .filter(([, v]) => v)
        .map(([label, value, testId]) => (
          <View className="row" key={label}>
            <Text className="muted">{label}</Text>
            <Text data-testid={testId}>{value}</Text>
          </View>
        ))}
    </View>
  );
}

/**
 * The driver's flow: sign in with WeChat alone, find a finished session's bill by the connector's QR
 * code (scanned, or its code typed in the browser build) or by plate and phone, pay it with WeChat Pay,
 * and see the outcome — 已支付 only once the backend says the bill is paid.
 */
export default function DriverPayPage() {
  const params = useRouter().params as { code?: string };
  const [stage, setStage] = useState<Stage>({ kind: 'signing-in' });
  const [by, setBy] = useState<By>('code');
  const [code, setCode] = useState(params.code ? decodeURIComponent(params.code) : '');
  const [plate, setPlate] = useState('');
  const [phone, setPhone] = useState('');
  const [searching, setSearching] = useState(false);
  const [searchError, setSearchError] = useState<string>();
  const [results, setResults] = useState<Bill[]>();
  const [mine, setMine] = useState<Bill[]>();
  const [busy, setBusy] = useState(false);

  const loadMine = () =>
    void fetchMyBills()
      .then(setMine)
      .catch(() => setMine(undefined));
  const signIn = async () => {
    setStage({ kind: 'signing-in' });
    try {
      await signInDriver();
      setStage({ kind: 'find' });
      loadMine();
      // Opened from a connector's code (a QR code that opens the page): look its bill up at once.
      if (params.code) void search({ Qr_Code: decodeURIComponent(params.code).trim() });
    } catch (err) {
      setStage({ kind: 'signin-error', message: userMessage(err) });
    }
  };
  useEffect(() => {
    void signIn();
  }, []);

  const open = (bill: Bill) => setStage({ kind: 'bill', bill });
  const search = async (query: BillQuery) => {
    setSearching(true);
    setSearchError(undefined);
    setResults(undefined);
    try {
      const bills = await claimBills(query);
      if (bills.length === 1) open(bills[0]!);
      else setResults(bills);
    } catch (err) {
      setSearchError(userMessage(err));
    } finally {
      setSearching(false);
    }
  };
  const submit = () => {
    if (by === 'code') {
      if (!code.trim()) return setSearchError('请输入充电枪上的编码');
      return void search({ Qr_Code: code.trim() });
    }
    if (!plate.trim() || !phone.trim()) return setSearchError('请同时输入车牌号和充电时登记的手机号');
    if (!/^\+?\d{5,20}$/.test(phone.trim())) return setSearchError('手机号应为 5–20 位数字');
    return void search({ Plate_No: plate.trim().toUpperCase(), Phone: phone.trim() });
  };
  const scan = async () => {
    const scanned = await scanConnectorCode();
    if (!scanned) return;
    setBy('code');
    setCode(scanned);
    void search({ Qr_Code: scanned });
  };

  /** Asks the backend until it says paid (when the tries run out, the result is still pending). */
  const confirm = async (bill: Bill) => {
    setStage({ kind: 'confirming', bill });
    let latest = bill;
    for (let i = 0; i < confirmPolicy.tries; i++) {
      if (i > 0) await sleep(confirmPolicy.gapMs);
      try {
        latest = await fetchBill(bill.Bill_ID);
      } catch {
        continue; // a lost answer is not a result: ask again
      }
      if (latest.State === 'paid') return setStage({ kind: 'paid', bill: latest });
      if (!OPEN.includes(latest.State)) break;
    }
    if (OPEN.includes(latest.State)) setStage({ kind: 'pending', bill: latest });
    else
      setStage({
        kind: 'bill',
        bill: latest,
        notice: { tone: 'error', text: `未完成支付：${payStateName(latest.State)}` },
      });
  };

  const pay = async (bill: Bill) => {
    if (busy) return;
    setBusy(true);
    try {
      const order = await prepareBillPayment(bill.Bill_ID);
      const outcome = await requestPayment(order);
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
    loadMine();
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

  if (stage.kind === 'find') {
    const unpaid = (mine ?? []).filter((b) => PAYABLE.includes(b.State));
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
              options={[
                { label: '充电枪编码', value: 'code' },
                { label: '车牌号 + 手机号', value: 'plate' },
              ]}
              onChange={(v) => {
                setBy(v as By);
                setSearchError(undefined);
              }}
            />
          </View>
          {by === 'code' ? (
            <TextField
              label="充电枪编码"
              testId="driver-code"
              value={code}
              placeholder="二维码下方印的编码，如 WDPAY:…"
              onChange={setCode}
            />
          ) : (
            <View>
              <TextField
                label="车牌号"
                testId="driver-plate"
                value={plate}
                placeholder="如 沪A12345"
                onChange={setPlate}
              />
              <TextField
                label="手机号"
                testId="driver-phone"
                type="number"
                value={phone}
                placeholder="充电时登记的手机号"
                onChange={setPhone}
              />
            </View>
          )}
          {searchError && (
            <View className="field-error" data-testid="driver-find-error">
              {searchError}
            </View>
          )}
          <View className="actions">
            <Button block type={canScan ? 'default' : 'primary'} loading={searching} onClick={submit}>
              查找账单
            </Button>
          </View>
        </View>
        {results && results.length === 0 && (
          <View className="card empty" data-testid="state-empty">
            <Text className="muted">
              没有找到待支付的充电账单：请核对编码或车牌号、手机号，充电结束后 2 小时内可扫码查找
            </Text>
          </View>
        )}
        {results && results.length > 1 && (
          <View className="card" data-testid="driver-results">
            <View className="card-title">{`找到 ${results.length} 张账单`}</View>
            {results.map((b) => (
              <BillRow key={b.Bill_ID} bill={b} onOpen={open} />
            ))}
          </View>
        )}
        {unpaid.length > 0 && (
          <View className="card" data-testid="driver-mine">
            <View className="card-title">我的待支付账单</View>
            {unpaid.map((b) => (
              <BillRow key={b.Bill_ID} bill={b} onOpen={open} />
            ))}
          </View>
        )}
      </View>
    );
  }

  const bill = stage.bill;
  const amount = formatMoney(yuan(bill.Amount_Fen));
  return (
    <View className="page">
      {stage.kind === 'paid' && (
        <View className="card notice-ok" data-testid="pay-paid">
          {`已支付 ${amount}${bill.Paid_At ? `（${bill.Paid_At}）` : ''}，感谢使用`}
        </View>
      )}
      {stage.kind === 'confirming' && (
        <View className="card notice-warning" data-testid="pay-confirming">
          正在向微信支付确认结果…
        </View>
      )}
      {stage.kind === 'pending' && (
        <View className="card notice-warning" data-testid="pay-pending">
          支付结果确认中：还没有收到微信支付的到账通知。请稍后点“刷新支付结果”，不要重复支付
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
      {stage.kind === 'bill' && bill.State === 'paid' && (
        <View className="card notice-ok" data-testid="pay-paid">
          {`这张账单已支付${bill.Paid_At ? `（${bill.Paid_At}）` : ''}`}
        </View>
      )}
      <BillCard bill={bill} />
      <View className="actions">
        {stage.kind === 'bill' && PAYABLE.includes(bill.State) && (
          <Button type="primary" block loading={busy} disabled={busy} onClick={() => void pay(bill)}>
            {`微信支付 ${amount}`}
          </Button>
        )}
        {(stage.kind === 'pending' || (stage.kind === 'bill' && bill.State === 'paying')) && (
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
