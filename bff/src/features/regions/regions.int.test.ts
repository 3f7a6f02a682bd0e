import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildProvinceCityList } from './data';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('9.2 GET /api_3/province_city_list', () => {
  it('answers all 34 province-level divisions with their cities in the seed shape, without signing in', async () => {
    const res = await app.http.get('/api_3/province_city_list').expect(200);
    expect(res.body).toMatchObject({ Err_No: '0', Err_Msg: 'ok', Total_Numbers: 34 });
    const list = res.body.Data as Array<{ Province_Name: string; City_List: Array<{ City_Name: string }> }>;
    expect(list).toHaveLength(34);
    for (const p of list) {
      expect(Object.keys(p).sort()).toEqual(['City_List', 'Province_Name']);
      expect(p.City_List.length).toBeGreaterThan(0);
      for (const c of p.City_List) expect(Object.keys(c)).toEqual(['City_Name']);
    }
    const cities = (name: string) =>
      list.find((p) => p.Province_Name === name)!.City_List.map((c) => c.City_Name);
    expect(cities('江苏省')).toHaveLength(13);
    expect(cities('江苏省')).toContain('常州市'); // the seed's example
    expect(cities('北京市')).toEqual(['北京市']);
    expect(cities('香港特别行政区')).toEqual(['香港特别行政区']);
    expect(cities('湖北省')).toEqual(
      expect.arrayContaining(['武汉市', '恩施土家族苗族自治州', '仙桃市', '神农架林区']),
    );
    expect(cities('河南省')).toContain('济源市');
    expect(res.headers['cache-control']).toMatch(/max-age=86400/);
  });

  it('never lists a grouping name or a district as a city', () => {
    const all = buildProvinceCityList().flatMap((p) => p.City_List.map((c) => c.City_Name));
    expect(all.filter((n) => /直辖|行政区划/.test(n))).toEqual([]);
    expect(all).not.toContain('东城区');
    expect(new Set(all).size).toBeGreaterThan(330);
  });
});
