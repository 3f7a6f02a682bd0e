import { fireEvent, render, screen } from '@testing-library/react';
import ProfilePage from './index';
import { setTransport } from '../../api/transport';
import { fakeBff, ok002 } from '../../../test/fake-bff';
import { signInZhang, userProfile } from '../../../test/profile-fixtures';

const profile = (over: Record<string, unknown> = {}) =>
  userProfile({
    Usr_Phone: '13800138000',
    Usr_Company: '一号工厂',
    Usr_Province: '广东省',
    Usr_City: '深圳市',
    Usr_Detail_Addr: '科技园 1 号',
    ...over,
  });
const provinces = [
  { Province_Name: '北京市', City_List: [{ City_Name: '北京市' }] },
  { Province_Name: '广东省', City_List: [{ City_Name: '广州市' }, { City_Name: '深圳市' }] },
];

beforeEach(() => void signInZhang());

function open(over: Record<string, unknown> = {}) {
  const bff = fakeBff({
    'GET /api/users': () => ok002([profile(over)]),
    'GET /api_3/province_city_list': () => ok002(provinces),
    'PUT /api/users': (req) => ok002([{ ...profile(over), ...(req.body as object) }]),
  });
  setTransport(bff.transport);
  render(<ProfilePage />);
  return bff;
}

const openPicker = async () => {
  fireEvent.click(await screen.findByText(/^省 \/ 市/));
  return screen.getByTestId('picker');
};

test('the province/city picker opens on the saved province and city', async () => {
  open();
  const picker = await openPicker();
  expect(picker.getAttribute('data-value')).toBe('广东省/深圳市');
  expect(screen.getByTestId('picker-column-1').textContent).toBe('广州市 深圳市');
});

test('without a saved place the picker opens on a real selection (the first province and its first city), not an empty one', async () => {
  const bff = open({ Usr_Province: '', Usr_City: '' });
  const picker = await openPicker();
  expect(picker.getAttribute('data-value')).toBe('北京市/北京市');
  fireEvent.click(screen.getByText('确定'));
  expect(screen.queryByTestId('picker')).toBeNull();
  fireEvent.click(screen.getByText('保存'));
  await screen.findByText(/^省 \/ 市/);
  await new Promise((r) => setTimeout(r, 0));
  const put = bff.requests.find((r) => r.method === 'PUT')!;
  expect(put.body).toMatchObject({ Usr_Province: '北京市', Usr_City: '北京市' });
});

test('an invalid phone number is refused under its input and nothing is sent', async () => {
  const bff = open();
  const phone = await screen.findByDisplayValue('13800138000');
  fireEvent.change(phone, { target: { value: '12345' } });
  fireEvent.click(screen.getByText('保存'));
  expect((await screen.findByTestId('profile-Usr_Phone-error')).textContent).toMatch(/^手机号格式不正确/);
  expect(bff.requests.filter((r) => r.method === 'PUT')).toEqual([]);
});

test('a phone number the BFF refuses is shown under the phone input (Err_Detail.field)', async () => {
  const bff = fakeBff({
    'GET /api/users': () => ok002([profile()]),
    'GET /api_3/province_city_list': () => ok002(provinces),
    'PUT /api/users': () => ({
      status: 400,
      body: {
        Err_No: '4103',
        Err_Msg: 'Usr_Phone: 该手机号已被其他账号使用',
        Err_Detail: { field: 'Usr_Phone', rule: '该手机号已被其他账号使用' },
      },
    }),
  });
  setTransport(bff.transport);
  render(<ProfilePage />);
  await screen.findByDisplayValue('13800138000');
  fireEvent.click(screen.getByText('保存'));
  expect((await screen.findByTestId('profile-Usr_Phone-error')).textContent).toBe('该手机号已被其他账号使用');
});
