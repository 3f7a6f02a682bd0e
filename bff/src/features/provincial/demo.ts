import type { PrpOrganizationInput } from '@wattdesk/shared';
import { prpOrganizationInfos } from '@wattdesk/shared';
import type { MeterKind } from '../meters/facts';

/** The demo enterprise's platform registration (a made-up but well-formed credit code). */
export const DEMO_PRP = {
  accessKey: 'wd-demo-enterprise',
  secret: 'demo-provincial-secret-0123456789',
  enterpriseCode: '91410481MA47ABCD1X',
  region: '410481',
} as const;

/**
 * Seed 002 §5.2's example structure fitted to the demo factory's meters: the example's enterprise,
 * group, process (电炉工序) and process unit (#1 电炉, the demo's 2018 arc furnace meter), and collect
 * items for the plant's total electricity (daily, monthly, 15-minute), the boiler's natural gas, tap
 * water and the canteen's hand-filled (5.6) natural gas. Answers null when the demo meters are missing.
 */
export function demoOrganization(meters: MeterKind[]): PrpOrganizationInput | null {
  const id = (name: string) => meters.find((m) => m.name === name)?.id;
  const main = id('总进线电表');
  const gas = id('锅炉天然气表');
  const water = id('生产自来水表');
  const canteen = id('食堂天然气表（手工填报）');
  const eaf = id('电弧炉电表（2018 实测）');
  if (!main || !gas || !water || !canteen || !eaf) return null;
  const item = (name: string, Meter_id: number, extra: Record<string, unknown>) => ({
    name,
    Meter_id,
    processCode: '00',
    processUnitCode: '00',
    equipmentCode: '00',
    equipmentUnitCode: '00',
    Energy_Code: '013300',
    Real_zbckz: '0.1229',
    dataUsageCode: '11',
    inputType: '1',
    statType: '1',
    collectSystemName: 'EXCENERGY 能源采集系统',
    remark: '',
    scope: 1,
    ...extra,
  });
  const infos = {
    collectItemConfig: [
      item('全厂-二次能源-电力-购进已消费', main, {}),
      item('全厂-二次能源-电力-购进已消费（月）', main, { statType: '2' }),
      item('全厂-二次能源-电力-购进已消费（实时）', main, { statType: '0' }),
      item('电炉工序-#1 电炉-电力', eaf, { scope: 3, processCode: '06', processUnitCode: '01' }),
      item('全厂-一次能源-天然气-购进已消费', gas, { Energy_Code: '021000', Real_zbckz: '1.3300' }),
      item('全厂-耗能工质-新水-购进已消费', water, { Energy_Code: '041000', Real_zbckz: '0.0857' }),
      item('食堂-一次能源-天然气（手工填报）', canteen, {
        Energy_Code: '021000',
        Real_zbckz: '1.3300',
        inputType: '5',
        statType: '2',
        collectSystemName: '手工填报',
      }),
    ],
    enterprise: {
      name: '示例钢铁有限责任公司',
      typeCode: '159',
      typeName: '其他有限责任公司',
      industryCode: 'C3120',
      regionCode: '410481',
      regionName: '示例市',
      center: false,
      jgzh: false,
      energyConsumeLevel: 4,
      latitude: 33.283433,
      longitude: 113.505883,
      phone: '0375-8111111',
      fax: '0375-8111111',
      email: 'zxjc@163.com',
      address: '河南省示例市人民大道 1 号',
      zipCode: '462500',
      url: '',
      fieldCode: '100',
      fieldName: '工业',
      corporationName: '赵钱孙',
      registerDate: '1998-10-10 00:00:00',
      registerPrincipal: 10000,
      energyOffice: '机电能源部',
      energyOfficial: '李周',
      energyOfficialPosition: '机电能源部主任',
      energyOfficialPhone: '18866669999',
      energyPass: false,
      energyRespName: '吴郑',
      energyRespPhone: '18677778888',
      passDate: '',
      passOrg: '',
      productionLine: '电弧炉生产宽厚板短流程生产线',
      leadingProduct: '钢板',
      remark: '企业信息化水平落后,除电力消费数据外,其他数据指标均采用人工填报方式上传',
    },
    group: { name: '河北示例钢铁股份有限公司', address: '河北省示例市体育南大街 385 号', remark: '' },
    process: [{ processCode: '06', processName: '电炉工序', remark: '' }],
    processUnit: [
      {
        code: '01',
        name: '#1 电炉',
        processCode: '06',
        commDate: '2010-10-10 00:00:00',
        designedCapacity: '年产钢水 50 万吨',
        remark: '',
      },
    ],
  };
  return prpOrganizationInfos.parse(infos);
}
