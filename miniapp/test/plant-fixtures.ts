import type { PvConnectionItem, PvPlantDetailItem, PvPlantItem } from '@wattdesk/shared';

/** A plant as GET /api_3/pv_plants answers it; override what a test is about. */
export function plant(over: Partial<PvPlantItem> = {}): PvPlantItem {
  return {
    Ps_Id: 1001,
    Ps_Name: '一号厂房屋顶光伏',
    Ps_Type: 3,
    Ps_Type_Name: '分布式光伏电站',
    Online_Status: 1,
    Online_Status_Name: '在线',
    Fault_Status: 3,
    Fault_Status_Name: '正常',
    Power_kW: 182.4,
    Today_kWh: 936.25,
    Total_kWh: 1_254_300,
    Soc: null,
    Location: '江苏省苏州市',
    Latitude: 31.3,
    Longitude: 120.6,
    Updated_At: '2026-12-01 11:35:00',
    Meter_id: null,
    ...over,
  };
}

/** A plant's detail as GET /api_3/pv_plant_detail answers it. */
export function plantDetail(over: Partial<PvPlantDetailItem> = {}): PvPlantDetailItem {
  return {
    ...plant(),
    Power_Curve: [
      { Time: '2026-12-01 07:00:00', Power_kW: 0 },
      { Time: '2026-12-01 09:00:00', Power_kW: 96.5 },
      { Time: '2026-12-01 11:35:00', Power_kW: 182.4 },
    ],
    Daily_Yield: [{ Date: '2026-12-01', Yield_kWh: 936.25 }],
    Devices: [
      {
        Ps_Key: '1001_1_1_1',
        Device_Sn: 'A2211001',
        Device_Name: '逆变器 1',
        Device_Type: 1,
        Device_Type_Name: '逆变器',
        Fault_Status: 4,
        Fault_Status_Name: '正常',
      },
      {
        Ps_Key: '1001_1_1_2',
        Device_Sn: 'A2211002',
        Device_Name: '逆变器 2',
        Device_Type: 1,
        Device_Type_Name: '逆变器',
        Fault_Status: 1,
        Fault_Status_Name: '故障',
      },
    ],
    ...over,
  };
}

/** The organization's iSolarCloud connection (connected by authorization unless overridden). */
export function connection(over: Partial<PvConnectionItem> = {}): PvConnectionItem {
  return {
    Connected: 1,
    Auth_Mode: 'oauth',
    Region: 1,
    Region_Name: '中国',
    Account: 'plant-owner',
    Plant_Count: 3,
    Last_Sync_At: '2026-12-01 11:35:00',
    Last_Error: null,
    Quota_Used: 12,
    Quota_Limit: 1000,
    Status_Text: '已连接，每 5 分钟同步一次',
    ...over,
  };
}

/** Not connected. */
export const notConnected = (): PvConnectionItem =>
  connection({
    Connected: 0,
    Auth_Mode: null,
    Region: null,
    Region_Name: null,
    Account: null,
    Plant_Count: 0,
    Last_Sync_At: null,
    Quota_Used: 0,
    Status_Text: '未连接 iSolarCloud',
  });
