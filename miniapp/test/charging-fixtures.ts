import type { BillItem, ChargingCellItem, ChargingRecordItem, ChargingStationItem } from '@wattdesk/shared';

/** A connector as GET /api_3/charging_stations answers it; override what a test is about. */
export function cell(over: Partial<ChargingCellItem> = {}): ChargingCellItem {
  return {
    Cell_Id: 'C01',
    Cell_Type: 4,
    Rated_Power: 60,
    Status: 1,
    Status_Name: '空闲',
    Status_Time: '2026-12-01 10:00:00',
    Power: 0,
    Voltage: 0,
    Current: 0,
    Soc: null,
    Temperature: 25,
    Session_Energy: null,
    Charging_Since: null,
    Today_Energy: 0,
    ...over,
  };
}

/** A station with one piece of equipment holding `cells`. */
export function station(
  cells: ChargingCellItem[],
  over: Partial<ChargingStationItem> = {},
): ChargingStationItem {
  return {
    Station_Id: 'ST01',
    Station_Name: '演示充电站',
    Operator_Id: 'DEMO-OPERATOR-01',
    Site: '一号厂区',
    Address: '上海市浦东新区演示路 1 号',
    Station_Status: 50,
    Counts: { Offline: 0, Idle: 0, Occupied: 0, Charging: 0, Reserved: 0, Fault: 0 },
    Power: 120,
    Today_Energy: 45.5,
    Today_Sessions: 3,
    Today_Revenue: 68.25,
    Month_Energy: 12_345.6,
    Month_Sessions: 321,
    Month_Revenue: 18_518.4,
    Equipment: [
      { Equipment_Id: 'EQ01', Equipment_Name: '1 号直流桩', Equipment_Type: 1, Power: 120, Cells: cells },
    ],
    ...over,
  };
}

export function record(over: Partial<ChargingRecordItem> = {}): ChargingRecordItem {
  return {
    id: 1,
    Record_Id: 'R-0001',
    Operator_Id: 'DEMO-OPERATOR-01',
    Station_Id: 'ST01',
    Station_Name: '演示充电站',
    Equipment_Id: 'EQ01',
    Cell_Id: 'C01',
    Start_Time: '2026-12-01 08:00:00',
    End_Time: '2026-12-01 09:00:00',
    Total_Power: 30.5,
    Total_Money: 45.75,
    Elec_Money: 30.5,
    Service_Money: 15.25,
    Plate_No: '沪A·***45',
    Stop_Reason: 0,
    Pay_State: 'unpaid',
    ...over,
  };
}

export function bill(over: Partial<BillItem> = {}): BillItem {
  return {
    Bill_ID: 7,
    Operator_ID: 'DEMO-OPERATOR-01',
    Station_ID: 'ST01',
    Station_Name: '演示充电站',
    Equipment_ID: 'EQ01',
    Cell_ID: 'C01',
    Start_Time: '2026-12-01 08:00:00',
    End_Time: '2026-12-01 09:00:00',
    Total_Power: 30.5,
    Amount_Fen: 4575,
    Elec_Fen: 3050,
    Service_Fen: 1525,
    Refunded_Fen: 0,
    State: 'unpaid',
    State_Name: '待支付',
    Plate_No: '沪A·***45',
    Paid_At: '',
    ...over,
  };
}
