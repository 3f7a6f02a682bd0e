import { defineFeature } from '../../platform/contract';
import { AccountFacts } from './facts';
import { AccountsRepository } from './repository';
import { AccountsService } from './service';
import { accountRoutes } from './routes';

/** Accounts (seed 002 §1): registration, sessions, roles, audit. Its service also authenticates requests. */
export interface AccountsApi {
  accounts: AccountsService;
  /** For features that keep user identity beside accounts (WeChat binding). */
  repo: AccountsRepository;
  /** Read-only facts for other features (users' contact addresses), optionally in their transaction. */
  facts: AccountFacts;
}

declare module '../../platform/contract' {
  interface FeatureApis {
    accounts: AccountsApi;
  }
}

export const accountsFeature = defineFeature('accounts', (ctx) => {
  const repo = new AccountsRepository(ctx.db);
  const accounts = new AccountsService(repo, ctx.redis, ctx.clock, {
    sessionTtlHours: ctx.config.SESSION_TTL_HOURS,
    maxFailures: ctx.config.LOGIN_MAX_FAILURES,
    lockMinutes: ctx.config.LOGIN_LOCK_MINUTES,
    defaultTimeZone: ctx.config.DEFAULT_TIME_ZONE,
  });
  return { api: { accounts, repo, facts: new AccountFacts(ctx.db) }, routes: accountRoutes };
});
