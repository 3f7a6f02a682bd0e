import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import AlarmRulePage from './index';
import AlarmRulesPage from '../rules/index';
import { setTransport } from '../../api/transport';
import { saveSession } from '../../api/session';
import { fakeBff, ok002, okEms, type Handler } from '../../../test/fake-bff';
import { navigations, router } from '../../../test/taro';
import { definition, meter, rule, session } from '../../../test/alarm-fixtures';

function bff(extra: Record<string, Handler> = {}) {
  const server = fakeBff({
    'GET /api_3/alarm_status': () =>
      ok002([definition(), definition({ id: 2, Alarm_Name: '小时能耗超标', Alarm_Type: 1 })]),
    'GET /api_3/meters': (req) => {
      const id = new URL(req.url).searchParams.get('id');
      const all = [meter(), meter({ id: 4, Meter_Name: '空压机表', Meter_Parameter: '' })];
      return ok002(id ? all.filter((m) => String(m.id) === id) : all);
    },
    'GET /wad/ems/v1/api/devices': () => okEms([]),
    'GET /api_3/alarm_status_rules': () => ok002([rule()]),
    'POST /api_3/alarm_status_rules': () => ok002([rule()]),
    'PUT /api_3/alarm_status_rules': () => ok002([rule()]),
    ...extra,
  });
  setTransport(server.transport);
  return server;
}

const field = (name: string) => screen.getByTestId(`field-${name}`);
const type = (name: string, value: string) =>
  fireEvent.change(within(field(name)).getByRole('textbox'), { target: { value } });
const pick = (name: string, index: number) =>
  fireEvent.change(within(field(name)).getByRole('combobox'), { target: { value: String(index) } });
const errorOf = (name: string) => screen.queryByTestId(`field-${name}-error`)?.textContent;

beforeEach(() => {
  saveSession(session());
  navigations.length = 0;
  router.params = {};
});

test('from a meter’s page the form starts on that meter; its checks run before anything is sent', async () => {
  router.params = { meterId: '3' };
  const server = bff();
  render(<AlarmRulePage />);
  await screen.findByTestId('rule-form');
  expect(within(field('Meter_id')).getByText('钢厂进线表')).toBeTruthy();
  pick('Alarm_id', 0); // 功率因数过低: an instantaneous-parameter definition
  type('LowerLimit', '1.2');
  type('UpperLimit', '0.9');
  fireEvent.click(screen.getByText('保存'));
  expect(errorOf('Rule_Name')).toBe('请填写规则名称');
  expect(errorOf('Meter_Parameter')).toBe('瞬时参数告警必须选择测点');
  expect(errorOf('UpperLimit')).toBe('上限不能小于下限');
  expect(server.requests.filter((r) => r.method !== 'GET')).toHaveLength(0);

  type('Rule_Name', '进线功率因数');
  pick('Meter_Parameter', 2); // PF, from the meter's own points
  type('LowerLimit', '0.9');
  type('UpperLimit', '1');
  type('Delay_Seconds', '30');
  expect(errorOf('Rule_Name')).toBeUndefined(); // editing a field clears its message
  fireEvent.click(screen.getByText('保存'));
  await waitFor(() => expect(navigations.at(-1)?.kind).toBe('navigateBack'));
  expect(server.requests.find((r) => r.method === 'POST')?.body).toEqual({
    Rule_Name: '进线功率因数',
    Alarm_id: 1,
    Meter_id: 3,
    Meter_Parameter: 'PF',
    LowerLimit: 0.9,
    UpperLimit: 1,
    Delay_Seconds: 30,
  });
});

test('an hourly-energy rule needs no point and sends none', async () => {
  const server = bff();
  render(<AlarmRulePage />);
  await screen.findByTestId('rule-form');
  pick('Alarm_id', 1);
  expect(screen.queryByTestId('field-Meter_Parameter')).toBeNull();
  expect(within(field('UpperLimit')).getByText('上限（kWh）')).toBeTruthy();
  fireEvent.click(screen.getByText('保存'));
  expect(errorOf('Meter_id')).toBe('请选择仪表');
  pick('Meter_id', 1);
  type('Rule_Name', '空压机小时能耗');
  type('LowerLimit', '0');
  type('UpperLimit', '120');
  fireEvent.click(screen.getByText('保存'));
  await waitFor(() => expect(server.requests.some((r) => r.method === 'POST')).toBe(true));
  expect(server.requests.find((r) => r.method === 'POST')?.body).toEqual({
    Rule_Name: '空压机小时能耗',
    Alarm_id: 2,
    Meter_id: 4,
    LowerLimit: 0,
    UpperLimit: 120,
  });
});

test('editing loads the rule, and a limit the BFF refuses is shown under that limit', async () => {
  router.params = { id: '11' };
  bff({
    'PUT /api_3/alarm_status_rules': () => ({
      status: 400,
      body: {
        Err_No: '4103',
        Err_Msg: 'UpperLimit: 上限必须大于等于下限',
        Err_Detail: { field: 'UpperLimit' },
        field: 'UpperLimit',
      },
    }),
  });
  render(<AlarmRulePage />);
  await screen.findByDisplayValue('进线功率因数');
  expect(screen.getByDisplayValue('30')).toBeTruthy();
  fireEvent.click(screen.getByText('保存'));
  expect(await screen.findByTestId('field-UpperLimit-error')).toBeTruthy();
  expect(errorOf('UpperLimit')).toBe('上限必须大于等于下限');
  expect(navigations).toHaveLength(0);
});

test('a rule that no longer exists says so instead of showing an empty form', async () => {
  router.params = { id: '99' };
  bff({ 'GET /api_3/alarm_status_rules': () => ok002([]) });
  render(<AlarmRulePage />);
  expect((await screen.findByTestId('state-error')).textContent).toContain('该规则不存在或已被删除');
});

describe('the rule list', () => {
  test('a meter’s rules with limits in units; creating one starts from that meter', async () => {
    router.params = { meterId: '3' };
    const server = bff();
    render(<AlarmRulesPage />);
    expect(screen.getByTestId('state-loading')).toBeTruthy();
    const card = await screen.findByTestId('rule-11');
    expect(card.textContent).toContain('钢厂进线表 · 功率因数（PF）');
    expect(card.textContent).toContain('正常范围 0.90 – 1.00');
    expect(card.textContent).toContain('持续 30 秒才告警');
    expect((await screen.findByTestId('rules-context')).textContent).toBe('仪表：钢厂进线表');
    const q = new URL(server.requests.find((r) => r.url.includes('alarm_status_rules'))!.url).searchParams;
    expect(q.get('Meter_id')).toBe('3');
    fireEvent.click(screen.getByText('为该仪表新建规则'));
    expect(navigations.at(-1)?.url).toBe('/pkg-alarms/rule/index?meterId=3');
  });

  test('unfiltered, every meter can be opened to see and create its own rules', async () => {
    bff();
    render(<AlarmRulesPage />);
    await screen.findByTestId('rule-11');
    const picker = await screen.findByTestId('pick-meter');
    fireEvent.change(picker, { target: { value: '1' } });
    expect(navigations.at(-1)?.url).toBe('/pkg-alarms/rules/index?meterId=4');
  });

  test('no rules shows the empty state; a failure the reason', async () => {
    bff({ 'GET /api_3/alarm_status_rules': () => ok002([]) });
    const { unmount } = render(<AlarmRulesPage />);
    expect((await screen.findByTestId('state-empty')).textContent).toBe('还没有规则');
    unmount();
    bff({
      'GET /api_3/alarm_status_rules': () => ({
        status: 500,
        body: { Err_No: '4501', Err_Msg: '服务器内部错误' },
      }),
    });
    render(<AlarmRulesPage />);
    expect((await screen.findByTestId('state-error')).textContent).toContain('服务器内部错误');
  });
});
