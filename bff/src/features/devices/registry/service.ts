import crypto from 'node:crypto';
import { devicePrefix, type DeviceItem, type DeviceKind } from '@wattdesk/shared';
import { AppError, notFound } from '../../../core/errors';
import type { Actor } from '../../../core/auth/actor';
import type { Clock } from '../../../infra/clock';
import type { ConnectDecision, ConnectRequest } from '../../../infra/mqtt/broker';
import type { RequestOrigin } from '../../accounts/service';
import type { DeviceRow } from '../tables';
import type { DeviceRepository } from './repository';
import { issueSecret, secretMatches } from './secrets';
import { sameSecret } from '../../../core/http/caller-gate';

/** Compared against when a broker asks about an unknown device (matches no secret). */
const UNKNOWN_DEVICE_HASH = crypto.randomBytes(32).toString('hex');

/** The BFF's own broker identity: user `wd-bff`, client ids `wd-bff-*`. */
export interface PlatformCredentials {
  username: string;
  password: string;
}
export const PLATFORM_USER = 'wd-bff';

export interface RegisterDeviceCommand {
  device_uid: string;
  name: string;
  kind: DeviceKind;
  site: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A registry row as the API shows it (never the secret hash). */
export function presentDevice(row: DeviceRow): DeviceItem {
  return {
    device_uid: row.deviceUid,
    name: row.name,
    kind: row.kind,
    site: row.site,
    online: row.online,
    status_changed_at: iso(row.statusChangedAt),
    last_seen_at: iso(row.lastSeenAt),
    telemetry: row.telemetry,
    telemetry_at: iso(row.telemetryAt),
    created_at: row.createdAt.toISOString(),
  };
}

/** Devices per organization, their secrets, and who the broker lets in. */
export class DeviceRegistry {
  constructor(
    private readonly repo: DeviceRepository,
    private readonly clock: Clock,
    private readonly opts: { topicRoot: string; platform: PlatformCredentials },
  ) {}

  /** Registers a device; the secret in the answer is shown only this once. */
  async register(actor: Actor, cmd: RegisterDeviceCommand, origin: RequestOrigin) {
    const { secret, hash } = issueSecret();
    const row = await this.repo.create({
      orgId: actor.orgId,
      deviceUid: cmd.device_uid,
      name: cmd.name,
      kind: cmd.kind,
      site: cmd.site,
      secretHash: hash,
      secretRotatedAt: this.clock.now(),
    });
    if (!row)
      throw new AppError('conflict', `device_uid ${cmd.device_uid} 已被注册`, {
        field: 'device_uid',
        rule: '设备唯一ID不能重复',
      });
    await this.record(actor, origin, 'device.register', row.deviceUid, { kind: row.kind });
    return { ...presentDevice(row), secret };
  }

  async list(actor: Actor, filter: { kind?: DeviceKind; site?: string }): Promise<DeviceItem[]> {
    return (await this.repo.list(actor.orgId, filter)).map(presentDevice);
  }

  /** A device of the caller's organization; another organization's device is "not found". */
  async get(actor: Actor, uid: string): Promise<DeviceRow> {
    const row = await this.repo.find(actor.orgId, uid);
    if (!row) throw notFound(`设备 ${uid} `);
    return row;
  }

  async update(
    actor: Actor,
    cmd: { device_uid: string; name?: string; site?: string },
    origin: RequestOrigin,
  ) {
    const row = await this.repo.update(actor.orgId, cmd.device_uid, { name: cmd.name, site: cmd.site });
    if (!row) throw notFound(`设备 ${cmd.device_uid} `);
    await this.record(actor, origin, 'device.update', row.deviceUid, { name: cmd.name, site: cmd.site });
    return presentDevice(row);
  }

  /** Issues a new secret; the old one stops working at the device's next connect. */
  async rotateSecret(actor: Actor, uid: string, origin: RequestOrigin) {
    const { secret, hash } = issueSecret();
    const row = await this.repo.update(actor.orgId, uid, {
      secretHash: hash,
      secretRotatedAt: this.clock.now(),
    });
    if (!row) throw notFound(`设备 ${uid} `);
    await this.record(actor, origin, 'device.rotate_secret', uid, {});
    return { device_uid: uid, secret };
  }

  /** Removes a device that never received a command (command records are kept for good). */
  async remove(actor: Actor, uid: string, origin: RequestOrigin): Promise<void> {
    await this.get(actor, uid);
    if (await this.repo.hasCommands(actor.orgId, uid))
      throw new AppError('in_use', `设备 ${uid} 已有命令记录，不能删除`, {
        field: 'device_uid',
        rule: '有命令记录的设备不能删除',
      });
    await this.repo.remove(actor.orgId, uid);
    await this.record(actor, origin, 'device.remove', uid, {});
  }

  private async record(
    actor: Actor,
    origin: RequestOrigin,
    action: string,
    uid: string,
    detail: Record<string, unknown>,
  ): Promise<void> {
    await this.repo.audit({
      orgId: actor.orgId,
      actorUserId: actor.userId,
      action,
      target: uid,
      ip: origin.ip,
      detail,
    });
  }

  /** Who may connect to the broker: the BFF itself, or a registered device with its current secret. */
  async decideConnect(req: ConnectRequest): Promise<ConnectDecision> {
    const deny: ConnectDecision = { allow: false, superuser: false, prefix: '' };
    const p = this.opts.platform;
    if (req.username === p.username) {
      const ok = sameSecret(req.password, p.password) && req.clientId.startsWith(`${PLATFORM_USER}-`);
      return ok ? { allow: true, superuser: true, prefix: '' } : deny;
    }
    if (!req.username || req.clientId !== req.username) return deny;
    const device = await this.repo.findForAuth(req.username);
    // An unknown name costs the same comparison as a known one.
    const matches = secretMatches(device?.secretHash ?? UNKNOWN_DEVICE_HASH, req.password);
    if (!device || !matches) return deny;
    return { allow: true, superuser: false, prefix: devicePrefix(req.username, this.opts.topicRoot) };
  }

  /** Whether a broker username is the BFF's own. */
  isPlatformUser(username: string): boolean {
    return username === this.opts.platform.username;
  }

  /** The topic rule the broker applies after connect, for brokers that ask over HTTP. */
  async mayUseTopic(username: string, clientId: string, topic: string): Promise<boolean> {
    if (username === this.opts.platform.username) return clientId.startsWith(`${PLATFORM_USER}-`);
    if (!username || clientId !== username) return false;
    if (!(await this.repo.findForAuth(username))) return false;
    return topic.startsWith(devicePrefix(username, this.opts.topicRoot));
  }
}
