import crypto from 'node:crypto';
import type { ChargingCallbackKind } from '@wattdesk/shared';
import {
  postCallback,
  type CallbackOutcome,
  type CallbackRequest,
} from '../../adapters/operator-callback/client';
import { seedDatetime } from '../../adapters/operator-callback/signing';
import { AppError } from '../../core/errors';
import { signOperatorRequest } from '../charging/operator-auth';
import type { Clock } from '../../infra/clock';
import type { Logger } from '../../infra/logger';
import type { Jobs, Tx } from '../../platform/contract';
import type { ChargingPorts, OperatorIdentity } from './ports';
import type { CallbackRepository } from './repository';
import { CallbackUrlRefused, checkCallbackUrl, policyFor, type Resolver, type UrlPolicy } from './url-policy';

export const JOB_CALL = 'charging-callbacks.call';

export interface CallbackOptions {
  policy: UrlPolicy;
  timeoutMs: number;
  /** Retries after the first attempt (the job's retryLimit). */
  retries: number;
  resolve?: Resolver;
  post?: (req: CallbackRequest) => Promise<CallbackOutcome>;
}

/** A call the platform owes an operator. */
export interface CallbackCall {
  orgId: number;
  operatorPk: number;
  operatorId: string;
  kind: ChargingCallbackKind;
  /** The call's identity (a warning id and state, a refused report, a manager's request id). */
  key: string;
  payload: Record<string, unknown>;
}

/** Thrown to have the job runner retry the call (with backoff). */
class CallFailed extends Error {}

/**
 * The operator's callback addresses (checked before saving and before each call) and the platform's calls
 * to them: one durable row per call (idempotent by its key), sent on the job runner with retries and
 * backoff, every attempt logged.
 */
export class CallbackService {
  constructor(
    private readonly repo: CallbackRepository,
    private readonly ports: ChargingPorts,
    private readonly jobs: Jobs,
    private readonly clock: Clock,
    private readonly opts: CallbackOptions,
    private readonly log: Logger,
  ) {}

  private check(url: string, operatorId: string) {
    return checkCallbackUrl(url, policyFor(this.opts.policy, operatorId), this.opts.resolve);
  }

  /** 修改…回调地址: saves the address after checking it; refused URLs are a 400 naming `url`. */
  async setUrl(op: OperatorIdentity, kind: ChargingCallbackKind, url: string): Promise<void> {
    try {
      await this.check(url, op.operatorId);
    } catch (err) {
      if (err instanceof CallbackUrlRefused)
        throw new AppError('validation', `url: ${err.message}`, { field: 'url', rule: err.message });
      throw err;
    }
    await this.repo.saveUrl(op.operatorPk, op.orgId, kind, url, this.clock.now());
  }

  /** 删除…回调地址: 404 when none was set. */
  async removeUrl(op: OperatorIdentity, kind: ChargingCallbackKind): Promise<void> {
    if (!(await this.repo.removeUrl(op.operatorPk, kind)))
      throw new AppError('not_found', '未设置该回调地址', { field: 'url' });
  }

  async urls(op: OperatorIdentity) {
    const rows = await this.repo.urls(op.operatorPk);
    return rows.map((r) => ({ kind: r.kind, url: r.url, updatedAt: seedDatetime(r.updatedAt) }));
  }

  /**
   * Records a call in the caller's transaction and queues its job there too: it exists exactly if the
   * cause commits, once per key. Returns the call id (null: already recorded).
   */
  async enqueue(tx: Tx, call: CallbackCall): Promise<number | null> {
    const id = await this.repo.insertCall(tx, {
      orgId: call.orgId,
      operatorPk: call.operatorPk,
      operatorId: call.operatorId,
      kind: call.kind,
      callKey: call.key,
      payload: call.payload,
      createdAt: this.clock.now(),
    });
    if (id !== null) await this.jobs.sendInTx(tx, JOB_CALL, { callId: id }, { key: `call:${id}` });
    return id;
  }

  /** `charging-callbacks.call`: one attempt; throws to be retried until the retry limit. */
  async attempt(data: { callId: number }, job: { retryCount: number }): Promise<void> {
    const call = await this.repo.findCall(data.callId);
    if (!call || call.status !== 'pending') return;
    const at = this.clock.now();
    const base = { callId: call.id, orgId: call.orgId, operatorPk: call.operatorPk, at };
    const key = await this.ports.signingKey(call.operatorPk);
    const url = await this.repo.url(call.operatorPk, call.kind);
    if (!key || !url) {
      await this.repo.logAttempt(
        {
          ...base,
          url: url ?? '',
          httpStatus: null,
          result: 'no_address',
          answer: key ? '' : 'operator removed',
        },
        'no_address',
      );
      return;
    }
    let checked;
    try {
      checked = await this.check(url, key.operatorId);
    } catch (err) {
      if (!(err instanceof CallbackUrlRefused)) throw err;
      // The address resolves somewhere it may not go (now): no call, and no point retrying the same URL.
      await this.repo.logAttempt(
        { ...base, url, httpStatus: null, result: 'url_refused', answer: err.message },
        'failed',
      );
      return;
    }
    const outcome = await (this.opts.post ?? postCallback)({
      url: checked.url,
      addresses: checked.addresses,
      operatorId: key.operatorId,
      sign: (d, o, t) => signOperatorRequest(key.secret, d, o, t),
      token: crypto.randomUUID(),
      at,
      body: call.payload,
      timeoutMs: this.opts.timeoutMs,
    });
    const last = job.retryCount >= this.opts.retries;
    const finish = outcome.ok ? 'delivered' : last ? 'failed' : undefined;
    const attemptNo = await this.repo.logAttempt(
      {
        ...base,
        url,
        httpStatus: outcome.httpStatus,
        result: outcome.ok ? 'ok' : outcome.result,
        answer: outcome.answer,
      },
      finish,
    );
    if (!outcome.ok && !last) {
      this.log.info(
        { callId: call.id, kind: call.kind, attemptNo, result: outcome.result },
        'operator callback failed, will retry',
      );
      throw new CallFailed(
        `callback ${call.kind} attempt ${attemptNo}: ${outcome.result} ${outcome.httpStatus ?? ''}`,
      );
    }
    if (!outcome.ok)
      this.log.warn({ callId: call.id, kind: call.kind, attemptNo }, 'operator callback failed for good');
  }

  /** The attempts of one operator's calls (its own view) or of an organization's (admins). */
  async attempts(
    scope: { orgId: number; operatorPk?: number },
    kind: string | undefined,
    limit: number,
    offset: number,
  ) {
    const { rows, total } = await this.repo.attempts(scope, kind, limit, offset);
    return { total, list: rows.map((r) => ({ ...r, at: seedDatetime(r.at) })) };
  }
}
