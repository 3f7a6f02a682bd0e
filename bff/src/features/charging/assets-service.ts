import { and, eq } from 'drizzle-orm';
import { AppError, invalid, isUniqueViolation, notFound, pgErrorOf } from '../../core/errors';
import type { Clock } from '../../infra/clock';
import type { AssetsRepository } from './assets-repository';
import type { ChargingOperator } from './operator-auth';
import type { CellBody, EquipmentBody, StationBody } from './schemas';
import { chargingCells, chargingEquipment, chargingStations } from './tables';

/** Seed 004 paged answer. */
export interface OperatorPage<T> {
  total: number;
  list: T[];
}
export interface PageQuery {
  pageNum?: number;
  pageSize?: number;
}
export const pageWindow = (q: PageQuery) => {
  const size = q.pageSize ?? 10;
  return { limit: size, offset: ((q.pageNum ?? 1) - 1) * size };
};

/** The body's operatorId must be the caller's own (one operator never writes another's records). */
export function ownOperatorId(operator: ChargingOperator, operatorId: string | undefined): void {
  if (operatorId !== undefined && operatorId !== operator.operatorId)
    throw invalid('operatorId', '必须与请求头 OperatorId 一致');
}

const duplicate = (field: string, what: string) =>
  new AppError('conflict', `${what}已存在：${field} 在同一运营商内唯一`, { field, rule: '同一运营商内唯一' });
const inUse = (what: string, by: string) =>
  new AppError('in_use', `${what}仍有${by}，不能删除`, { rule: `先删除其${by}` });

/** Stations, equipment and cells of an operator (seed 004 站点数据管理). */
export class AssetsService {
  constructor(
    private readonly repo: AssetsRepository,
    private readonly clock: Clock,
  ) {}

  private async unique<T>(field: string, what: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate(field, what);
      throw err;
    }
  }

  private async station(op: ChargingOperator, stationId: string, asField?: string) {
    const row = await this.repo.findStation(op.pk, stationId);
    if (!row) throw asField ? invalid(asField, '充电站不存在（须先提交该充电站）') : notFound('充电站');
    return row;
  }
  private async equipment(op: ChargingOperator, equipmentId: string, asField?: string) {
    const row = await this.repo.findEquipment(op.pk, equipmentId);
    if (!row) throw asField ? invalid(asField, '充电设施不存在（须先提交该充电设施）') : notFound('充电设施');
    return row;
  }
  private async cell(op: ChargingOperator, cellId: string) {
    const row = await this.repo.findCell(op.pk, cellId);
    if (!row) throw notFound('充电口');
    return row;
  }

  // --- stations ---
  private stationValues(body: StationBody) {
    return { name: body.stationName, address: body.address, stationStatus: body.stationStatus, info: body };
  }
  async createStation(op: ChargingOperator, body: StationBody): Promise<void> {
    ownOperatorId(op, body.operatorId);
    await this.unique('stationId', '充电站', () =>
      this.repo.insertStation({
        orgId: op.orgId,
        operatorPk: op.pk,
        stationId: body.stationId,
        ...this.stationValues(body),
      }),
    );
  }
  async updateStation(op: ChargingOperator, body: StationBody): Promise<void> {
    ownOperatorId(op, body.operatorId);
    const row = await this.station(op, body.stationId);
    await this.repo.updateStation(row.id, { ...this.stationValues(body), updatedAt: this.clock.now() });
  }
  async deleteStation(op: ChargingOperator, stationId: string): Promise<void> {
    const row = await this.station(op, stationId);
    if (await this.repo.hasChildren(chargingEquipment, row.id)) throw inUse('充电站', '充电设施');
    await this.removeRow(chargingStations, row.id, '充电站', '充电记录');
  }
  async listStations(op: ChargingOperator, q: PageQuery & { stationId?: string }) {
    const { limit, offset } = pageWindow(q);
    const filter = q.stationId ? eq(chargingStations.stationId, q.stationId) : undefined;
    const { rows, total } = await this.repo.page(chargingStations, op.pk, filter, limit, offset);
    return { total, list: rows.map((r) => r.info) };
  }

  // --- equipment ---
  async createEquipment(op: ChargingOperator, body: EquipmentBody): Promise<void> {
    ownOperatorId(op, body.operatorId);
    const station = await this.station(op, body.stationId, 'stationId');
    await this.unique('equipmentId', '充电设施', () =>
      this.repo.insertEquipment({
        orgId: op.orgId,
        operatorPk: op.pk,
        stationPk: station.id,
        equipmentId: body.equipmentId,
        name: body.equipmentName ?? '',
        equipmentType: body.equipmentType,
        power: body.power,
        info: body,
      }),
    );
  }
  async updateEquipment(op: ChargingOperator, body: EquipmentBody): Promise<void> {
    ownOperatorId(op, body.operatorId);
    const row = await this.equipment(op, body.equipmentId);
    const station = await this.station(op, body.stationId, 'stationId');
    const now = this.clock.now();
    await this.repo.updateEquipment(
      row.id,
      {
        stationPk: station.id,
        name: body.equipmentName ?? '',
        equipmentType: body.equipmentType,
        power: body.power,
        info: body,
        updatedAt: now,
      },
      station.id !== row.stationPk,
      now,
    );
  }
  async deleteEquipment(op: ChargingOperator, equipmentId: string): Promise<void> {
    const row = await this.equipment(op, equipmentId);
    if (await this.repo.hasChildren(chargingCells, row.id)) throw inUse('充电设施', '充电口');
    await this.removeRow(chargingEquipment, row.id, '充电设施', '充电口');
  }
  async listEquipment(op: ChargingOperator, q: PageQuery & { stationId?: string; equipmentId?: string }) {
    const { limit, offset } = pageWindow(q);
    const conds = [q.equipmentId ? eq(chargingEquipment.equipmentId, q.equipmentId) : undefined];
    if (q.stationId) {
      const station = await this.repo.findStation(op.pk, q.stationId);
      if (!station) return { total: 0, list: [] };
      conds.push(eq(chargingEquipment.stationPk, station.id));
    }
    const { rows, total } = await this.repo.page(chargingEquipment, op.pk, and(...conds), limit, offset);
    return { total, list: rows.map((r) => r.info) };
  }

  // --- cells ---
  private cellValues(body: CellBody) {
    return {
      cellType: body.cellType,
      ratedVoltageUpper: body.ratedVoltageUpperLimit,
      ratedVoltageLower: body.ratedVoltageLowerLimit,
      ratedCurrent: body.ratedCurrent,
      ratedPower: body.ratedPower,
      info: body,
    };
  }
  async createCell(op: ChargingOperator, body: CellBody): Promise<void> {
    ownOperatorId(op, body.operatorId);
    const equipment = await this.equipment(op, body.equipmentId, 'equipmentId');
    await this.unique('cellId', '充电口', () =>
      this.repo.insertCell(
        {
          orgId: op.orgId,
          operatorPk: op.pk,
          equipmentPk: equipment.id,
          cellId: body.cellId,
          ...this.cellValues(body),
        },
        this.clock.now(),
      ),
    );
  }
  async updateCell(op: ChargingOperator, body: CellBody): Promise<void> {
    ownOperatorId(op, body.operatorId);
    const row = await this.cell(op, body.cellId);
    const equipment = await this.equipment(op, body.equipmentId, 'equipmentId');
    const now = this.clock.now();
    await this.repo.updateCell(
      row.id,
      { equipmentPk: equipment.id, ...this.cellValues(body), updatedAt: now },
      // Another piece of equipment may be in another station: the span follows (split either way).
      equipment.id !== row.equipmentPk,
      now,
    );
  }
  async deleteCell(op: ChargingOperator, cellId: string): Promise<void> {
    const row = await this.cell(op, cellId);
    await this.removeRow(chargingCells, row.id, '充电口', '关联数据');
  }
  async listCells(op: ChargingOperator, q: PageQuery & { equipmentId?: string; cellId?: string }) {
    const { limit, offset } = pageWindow(q);
    const conds = [q.cellId ? eq(chargingCells.cellId, q.cellId) : undefined];
    if (q.equipmentId) {
      const equipment = await this.repo.findEquipment(op.pk, q.equipmentId);
      if (!equipment) return { total: 0, list: [] };
      conds.push(eq(chargingCells.equipmentPk, equipment.id));
    }
    const { rows, total } = await this.repo.page(chargingCells, op.pk, and(...conds), limit, offset);
    return { total, list: rows.map((r) => r.info) };
  }

  private async removeRow(
    table: typeof chargingStations | typeof chargingEquipment | typeof chargingCells,
    id: number,
    what: string,
    by: string,
  ) {
    try {
      await this.repo.remove(table, id, this.clock.now());
    } catch (err) {
      if (pgErrorOf(err)?.code === '23503') throw inUse(what, by);
      throw err;
    }
  }
}
