import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import AlarmDefinitionsPage from './index';
import AlarmDefinitionPage from '../definition/index';
import { setTransport } from '../../api/transport';
import { saveSession } from '../../api/session';
import { fakeBff, ok002, type Handler } from '../../../test/fake-bff';
import { modal, navigations, router } from '../../../test/taro';
import { definition, session } from '../../../test/alarm-fixtures';

function bff(routes: Record<string, Handler>) {
  const server = fakeBff(routes);
  setTransport(server.transport);
  return server;
}

beforeEach(() => {
  saveSession(session());
  navigations.length = 0;
  router.params = {};
  modal.confirm = true;
});

describe('the definition list', () => {
  test('loading, then each definition with its level, channel and rule count; a tap opens its rules', async () => {
    bff({
      'GET /api_3/alarm_status': () =>
        ok002([definition({ Rule_Numbers: 2, Escalate_Minutes: 15, Escalate_To: 'boss' })]),
    });
    render(<AlarmDefinitionsPage />);
    expect(screen.getByTestId('state-loading')).toBeTruthy();
    const card = await screen.findByTestId('definition-1');
    expect(card.textContent).toContain('警告');
    expect(card.textContent).toContain('瞬时参数 · 微信通知：manager');
    expect(card.textContent).toContain('15 分钟无人确认时通知 boss');
    fireEvent.click(within(card).getByText('编辑'));
    expect(navigations.at(-1)?.url).toBe('/pkg-alarms/definition/index?id=1');
    fireEvent.click(within(card).getByText('规则（2 条）'));
    expect(navigations.at(-1)?.url).toBe('/pkg-alarms/rules/index?alarmId=1');
  });

  test('an empty organization is told what to do first', async () => {
    bff({ 'GET /api_3/alarm_status': () => ok002([]) });
    render(<AlarmDefinitionsPage />);
    expect((await screen.findByTestId('state-empty')).textContent).toContain('先新建一个');
  });

  test('a refusal shows the Chinese reason', async () => {
    bff({
      'GET /api_3/alarm_status': () => ({
        status: 403,
        body: { Err_No: '4105', Err_Msg: '没有权限：仅管理员可以设置告警' },
      }),
    });
    render(<AlarmDefinitionsPage />);
    expect((await screen.findByTestId('state-error')).textContent).toContain('仅管理员可以设置告警');
  });
});

describe('the definition form', () => {
  const field = (name: string) => screen.getByTestId(`field-${name}`);
  const type = (name: string, value: string) =>
    fireEvent.change(within(field(name)).getByRole('textbox'), { target: { value } });

  test('checks before sending and shows each problem under its input; nothing is sent', async () => {
    const server = bff({});
    render(<AlarmDefinitionPage />);
    await act(async () => undefined); // the (empty) load of a new definition settles
    fireEvent.click(screen.getByText('短信通知'));
    type('Notify_Address', '12345');
    fireEvent.click(screen.getByText('保存'));
    expect(screen.getByTestId('field-Alarm_Name-error').textContent).toBe('请填写告警名称');
    expect(screen.getByTestId('field-Notify_Address-error').textContent).toBe(
      '手机号应为 11 位数字，多个用逗号分隔',
    );
    expect(server.requests).toHaveLength(0);
  });

  test('creates a definition with the seed fields, and a field the BFF names lands under its input', async () => {
    let calls = 0;
    const server = bff({
      'POST /api_3/alarm_status': () =>
        ++calls === 1
          ? {
              status: 400,
              // The BFF names the field in Err_Detail (and the request wrapper reads it there).
              body: {
                Err_No: '4103',
                Err_Msg: 'Notify_Address: 用户 nobody 不存在',
                Err_Detail: { field: 'Notify_Address' },
                field: 'Notify_Address',
              },
            }
          : ok002([definition()]),
    });
    render(<AlarmDefinitionPage />);
    type('Alarm_Name', '进线过流');
    fireEvent.click(screen.getByText('严重'));
    type('Notify_Address', 'nobody');
    fireEvent.click(screen.getByText('保存'));
    expect((await screen.findByTestId('field-Notify_Address-error')).textContent).toBe('用户 nobody 不存在');
    type('Notify_Address', 'manager');
    fireEvent.click(screen.getByText('保存'));
    await waitFor(() => expect(navigations.at(-1)?.kind).toBe('navigateBack'));
    expect(server.requests.at(-1)?.body).toEqual({
      Alarm_Name: '进线过流',
      Alarm_Type: 2,
      Alarm_Level: 3,
      Alarm_Notify: 4,
      Notify_Address: 'manager',
    });
    expect(navigations.at(-1)?.kind).toBe('navigateBack');
  });

  test('edits an existing definition by id and deletes it after confirmation', async () => {
    router.params = { id: '1' };
    const server = bff({
      'GET /api_3/alarm_status': () => ok002([definition()]),
      'PUT /api_3/alarm_status': () => ok002([definition()]),
      'DELETE /api_3/alarm_status': () => ok002([]),
    });
    render(<AlarmDefinitionPage />);
    await screen.findByDisplayValue('功率因数过低');
    type('Escalate_Minutes', '30');
    fireEvent.click(screen.getByText('保存'));
    expect(screen.getByTestId('field-Escalate_To-error').textContent).toBe(
      '设置了升级时间，请填写升级通知的用户',
    );
    type('Escalate_To', 'boss');
    fireEvent.click(screen.getByText('保存'));
    await waitFor(() => expect(navigations.at(-1)?.kind).toBe('navigateBack'));
    expect(server.requests.find((r) => r.method === 'PUT')?.body).toMatchObject({
      id: 1,
      Escalate_Minutes: 30,
      Escalate_To: 'boss',
    });
    fireEvent.click(screen.getByText('删除'));
    await waitFor(() => expect(server.requests.find((r) => r.method === 'DELETE')?.body).toEqual({ id: 1 }));
  });
});
