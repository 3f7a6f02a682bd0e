import {
  bigint,
  doublePrecision,
  integer,
  jsonb,
  pgTable,
  serial,
  smallint,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';

// Every charging table (migrations 0600_charging.sql, 0601, 0602_charging_cell_spans.sql).
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const chargingOperators = pgTable(
  'charging_operators',
  {
    id: serial('id').primaryKey(),
    orgId: integer('org_id').notNull(),
    operatorId: text('operator_id').notNull(),
    name: text('name').notNull(),
    site: text('site').notNull().default(''),
    /** AES-256-GCM sealed secret (secret-box.ts). */
    secretEnc: text('secret_enc').notNull(),
    secretRotatedAt: ts('secret_rotated_at').notNull().defaultNow(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [unique('charging_operators_operator_id_key').on(t.operatorId)],
);

export const chargingOperatorTokens = pgTable('charging_operator_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  operatorPk: integer('operator_pk').notNull(),
  expiresAt: ts('expires_at').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const chargingStations = pgTable(
  'charging_stations',
  {
    id: serial('id').primaryKey(),
    orgId: integer('org_id').notNull(),
    operatorPk: integer('operator_pk').notNull(),
    stationId: text('station_id').notNull(),
    name: text('name').notNull(),
    address: text('address').notNull().default(''),
    stationStatus: smallint('station_status').notNull(),
    /** Metering meter of the station's charging energy (migration 0601), created on its first record. */
    meterId: integer('meter_id'),
    info: jsonb('info').$type<Record<string, unknown>>().notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [unique('charging_stations_operator_key').on(t.operatorPk, t.stationId)],
);

export const chargingEquipment = pgTable(
  'charging_equipment',
  {
    id: serial('id').primaryKey(),
    orgId: integer('org_id').notNull(),
    operatorPk: integer('operator_pk').notNull(),
    stationPk: integer('station_pk').notNull(),
    equipmentId: text('equipment_id').notNull(),
    name: text('name').notNull().default(''),
    equipmentType: smallint('equipment_type').notNull(),
    power: doublePrecision('power').notNull(),
    info: jsonb('info').$type<Record<string, unknown>>().notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [unique('charging_equipment_operator_key').on(t.operatorPk, t.equipmentId)],
);

export const chargingCells = pgTable(
  'charging_cells',
  {
    id: serial('id').primaryKey(),
    orgId: integer('org_id').notNull(),
    operatorPk: integer('operator_pk').notNull(),
    equipmentPk: integer('equipment_pk').notNull(),
    cellId: text('cell_id').notNull(),
    cellType: smallint('cell_type').notNull(),
    ratedVoltageUpper: doublePrecision('rated_voltage_upper').notNull(),
    ratedVoltageLower: doublePrecision('rated_voltage_lower').notNull(),
    ratedCurrent: doublePrecision('rated_current').notNull(),
    ratedPower: doublePrecision('rated_power').notNull(),
    info: jsonb('info').$type<Record<string, unknown>>().notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [unique('charging_cells_operator_key').on(t.operatorPk, t.cellId)],
);

export const chargingCellStatus = pgTable('charging_cell_status', {
  cellPk: integer('cell_pk').primaryKey(),
  orgId: integer('org_id').notNull(),
  status: smallint('status').notNull(),
  ts: ts('ts').notNull(),
  voltage: doublePrecision('voltage'),
  current: doublePrecision('current'),
  power: doublePrecision('power'),
  soc: doublePrecision('soc'),
  temperature: doublePrecision('temperature'),
  sessionEnergy: doublePrecision('session_energy'),
  chargingSince: ts('charging_since'),
  receivedAt: ts('received_at').notNull().defaultNow(),
});

export const chargingRecords = pgTable(
  'charging_records',
  {
    id: serial('id').primaryKey(),
    orgId: integer('org_id').notNull(),
    operatorPk: integer('operator_pk').notNull(),
    recordId: text('record_id').notNull(),
    stationPk: integer('station_pk').notNull(),
    stationId: text('station_id').notNull(),
    equipmentId: text('equipment_id').notNull(),
    cellId: text('cell_id').notNull(),
    startAt: ts('start_at').notNull(),
    endAt: ts('end_at').notNull(),
    startTime: text('start_time').notNull(),
    endTime: text('end_time').notNull(),
    totalPower: doublePrecision('total_power').notNull(),
    elecMoney: doublePrecision('elec_money').notNull(),
    serviceMoney: doublePrecision('service_money').notNull(),
    totalMoney: doublePrecision('total_money').notNull(),
    plateNo: text('plate_no'),
    phone: text('phone'),
    stopReason: smallint('stop_reason'),
    info: jsonb('info').$type<Record<string, unknown>>().notNull(),
    payState: text('pay_state').notNull().default('none'),
    billId: text('bill_id'),
    payAmountFen: integer('pay_amount_fen'),
    refundedFen: integer('refunded_fen'),
    paidAt: text('paid_at'),
    payEventId: bigint('pay_event_id', { mode: 'bigint' }),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [unique('charging_records_operator_key').on(t.operatorPk, t.recordId)],
);

/** When a cell existed in a station (migration 0602): to_at null while it still does. */
export const chargingCellSpans = pgTable('charging_cell_spans', {
  id: serial('id').primaryKey(),
  orgId: integer('org_id').notNull(),
  operatorPk: integer('operator_pk').notNull(),
  cellPk: integer('cell_pk').notNull(),
  cellId: text('cell_id').notNull(),
  stationId: text('station_id').notNull(),
  fromAt: ts('from_at').notNull(),
  toAt: ts('to_at'),
});
