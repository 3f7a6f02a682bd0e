import {
  idBody,
  idLike,
  machineCreateBody,
  machineImageQuery,
  machineItem,
  machineListQuery,
  machineUpdateBody,
} from '@wattdesk/shared';
import { z } from 'zod';
import { RAW, route } from '../../core/http/route';
import { uploadedImage } from '../../core/images';
import { paged } from '../../core/http/envelope';
import { pageOf } from '../../core/http/origin';
import { MeteringPermissions } from '../meters/permissions';
import type { MachineRow } from '../meters/repository';
import { imageUrl } from './service';

const TAG = '2 仪表与机器';

const present = (r: MachineRow): z.infer<typeof machineItem> => ({
  id: r.id,
  Meter_Superior: r.name,
  Meter_Department: r.department,
  Machine_Image_Url: imageUrl(r),
  equipmentCode: r.equipmentCode,
  equipmentUnitCode: r.equipmentUnitCode,
});

const command = (b: z.output<typeof machineCreateBody>) => ({
  name: b.Meter_Superior,
  department: b.Meter_Department,
  equipmentCode: b.equipmentCode,
  equipmentUnitCode: b.equipmentUnitCode,
});

const uploadBody = z.strictObject({
  Meter_Superior_id: idLike(),
  Machine_Image: uploadedImage('Machine_Image'),
});

/** Seed 002 §2.5–2.9 machines (departments are a field of the machine). */
export const machineRoutes = [
  route({
    method: 'get',
    path: '/api_3/metersuperiors',
    envelope: '002',
    tag: TAG,
    summary: '2.5 获取所有机器',
    access: 'session',
    query: machineListQuery,
    response: machineItem,
    handler: async ({ deps, actor, query }) => {
      const { limit, offset } = pageOf(query);
      const { rows, total } = await deps.machines.list(
        actor.orgId,
        { id: query.id, department: query.Meter_Department },
        limit,
        offset,
      );
      return paged(rows.map(present), total);
    },
  }),
  route({
    method: 'post',
    path: '/api_3/metersuperiors',
    envelope: '002',
    tag: TAG,
    summary: '2.6 增加机器（返回 id，扩展）',
    access: { permission: MeteringPermissions.manage },
    body: machineCreateBody,
    errors: { 409: '机器名已存在（4003）' },
    handler: async ({ deps, actor, body }) => ({
      id: (await deps.machines.create(actor.orgId, command(body))).id,
    }),
  }),
  route({
    method: 'put',
    path: '/api_3/metersuperiors',
    envelope: '002',
    tag: TAG,
    summary: '2.7 修改机器',
    access: { permission: MeteringPermissions.manage },
    body: machineUpdateBody,
    errors: { 404: '机器不存在（4002）', 409: '机器名已存在（4003）' },
    handler: async ({ deps, actor, body }) => {
      await deps.machines.update(actor.orgId, body.id, command(body));
      return undefined;
    },
  }),
  route({
    method: 'delete',
    path: '/api_3/metersuperiors',
    envelope: '002',
    tag: TAG,
    summary: '2.8 删除机器（机器下还有仪表时拒绝，4004）',
    access: { permission: MeteringPermissions.manage },
    query: idBody,
    errors: { 404: '机器不存在（4002）', 409: '机器正在被引用（4004），Err_Detail.dependents 列出引用者' },
    handler: async ({ deps, actor, query }) => {
      await deps.machines.remove(actor.orgId, query.id);
      return undefined;
    },
  }),
  route({
    method: 'post',
    path: '/api_3/metersuperior_image',
    envelope: '002',
    tag: TAG,
    summary: '2.9 上传机器图片（PNG/JPEG/GIF/WebP，按文件内容识别，最大 2 MB）',
    description: '返回 Machine_Image_Url；该地址只对本组织已登录用户可读（携带 Authorization）。',
    access: { permission: MeteringPermissions.manage },
    bodyType: 'multipart',
    body: uploadBody,
    response: machineItem,
    errors: { 404: '机器不存在（4002）' },
    handler: async ({ deps, actor, body }) =>
      present(await deps.machines.setImage(actor.orgId, body.Meter_Superior_id, body.Machine_Image)),
  }),
  route({
    method: 'get',
    path: '/api_3/metersuperior_image',
    envelope: '002',
    tag: TAG,
    summary: '读取机器图片（扩展；仅本组织）',
    access: 'session',
    query: machineImageQuery,
    errors: { 404: '机器或图片不存在（4002）' },
    handler: async ({ deps, actor, query, ctx }) => {
      const img = await deps.machines.image(actor.orgId, query.id);
      ctx.set('Cache-Control', 'private, max-age=86400');
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.type = img.mime;
      ctx.body = img.body;
      return RAW;
    },
  }),
];
