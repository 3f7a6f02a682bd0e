import { AppError, notFound } from '../../core/errors';
import type { MachineRow, MetersRepository } from '../meters/repository';
import { conflictOnDuplicate, refusedByDependents } from '../meters/pg-errors';
import { checkUploadedImage, imageVersion, type ImageStore, type UploadedFile } from '../../core/images';

/** A machine (2.6/2.7), parsed from the wire. */
export interface MachineCommand {
  name: string;
  department: string;
  equipmentCode: string;
  equipmentUnitCode: string;
}

/** Machines (002 §2.5–2.9) with their departments and pictures. */
export class MachinesService {
  constructor(
    private readonly repo: MetersRepository,
    private readonly images: ImageStore,
  ) {}

  /** 2.6: creates a machine; returns it. Names are unique in an organization. */
  async create(orgId: number, cmd: MachineCommand): Promise<MachineRow> {
    return conflictOnDuplicate(
      () => this.repo.insertMachine({ orgId, ...cmd }),
      'Meter_Superior',
      `机器名 ${cmd.name} 已存在`,
    );
  }

  /** 2.7 */
  async update(orgId: number, id: number, cmd: MachineCommand): Promise<MachineRow> {
    const row = await conflictOnDuplicate(
      () => this.repo.updateMachine(orgId, id, cmd),
      'Meter_Superior',
      `机器名 ${cmd.name} 已存在`,
    );
    if (!row) throw notFound('机器');
    return row;
  }

  /** 2.8: refused (4004) while meters or other records belong to the machine. */
  async remove(orgId: number, id: number): Promise<void> {
    const row = await this.repo.findMachine(orgId, id);
    if (!row) throw notFound('机器');
    const meters = await this.repo.meterNamesOfMachine(id);
    if (meters.length)
      throw new AppError('in_use', `机器下还有仪表，不能删除：${meters.join('、')}`, {
        dependents: meters.map((m) => ({ Meter_Name: m })),
      });
    await refusedByDependents(() => this.repo.deleteMachine(orgId, id), '机器');
    if (row.imageKey) await this.images.remove(orgId, row.imageKey);
  }

  /** 2.5 */
  list(orgId: number, f: { id?: number; department?: string }, limit: number, offset: number) {
    return this.repo.listMachines(orgId, f, limit, offset);
  }

  /** 2.9: stores a PNG/JPEG/GIF/WebP picture (type from its bytes, at most 2 MB), replacing any before. */
  async setImage(orgId: number, id: number, file: UploadedFile): Promise<MachineRow> {
    const row = await this.repo.findMachine(orgId, id);
    if (!row) throw notFound('机器');
    const kind = await checkUploadedImage(file, 'Machine_Image');
    const key = await this.images.save(orgId, id, file.filepath, kind.ext);
    const updated = await this.repo.updateMachine(orgId, id, { imageKey: key, imageMime: kind.mime });
    if (row.imageKey) await this.images.remove(orgId, row.imageKey);
    return updated!;
  }

  /** The picture of a machine of the caller's organization (404 otherwise). */
  async image(orgId: number, id: number): Promise<{ body: Buffer; mime: string }> {
    const row = await this.repo.findMachine(orgId, id);
    if (!row?.imageKey || !row.imageMime) throw notFound('机器图片');
    return { body: await this.images.read(orgId, row.imageKey), mime: row.imageMime };
  }
}

/** The URL a machine's picture is read back from ('' when it has none); only its organization may read it. */
export const imageUrl = (row: MachineRow): string =>
  row.imageKey ? `/api_3/metersuperior_image?id=${row.id}&v=${imageVersion(row.imageKey)}` : '';
