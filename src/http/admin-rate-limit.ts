import { ExecutionContext, Global, Inject, Injectable, Module } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { BACKSTOP_OPTIONS } from '../config/backstop.options';
import type { BackstopOptions } from '../config/backstop.options';

/**
 * Our own storage token rather than ThrottlerModule's: a host app's
 * ThrottlerModule (and its limits) must not mix with the operators' budget.
 */
export const ADMIN_RATE_LIMIT_STORAGE = Symbol('ADMIN_RATE_LIMIT_STORAGE');

export const DEFAULT_ADMIN_RATE_WINDOW_MS = 60_000;

/**
 * One budget per client address for all operators' routes together, spent
 * before the token is checked, so guessing tokens is throttled as well.
 * Over it: 429 TOO_MANY_REQUESTS with Retry-After (seconds).
 */
@Injectable()
export class AdminRateLimitGuard extends ThrottlerGuard {
  private readonly enabled: boolean;

  constructor(
    @Inject(BACKSTOP_OPTIONS) backstop: BackstopOptions,
    @Inject(ADMIN_RATE_LIMIT_STORAGE) storage: ThrottlerStorage,
    reflector: Reflector,
  ) {
    const rate = backstop.admin?.rateLimit;
    super(
      {
        throttlers: rate ? [{ limit: rate.limit, ttl: rate.windowMs ?? DEFAULT_ADMIN_RATE_WINDOW_MS }] : [],
        // Per client, not per route: the budget is for the operators' routes together.
        generateKey: (_context, tracker) => `admin:${tracker}`,
        errorMessage: 'too many requests to the operators\u2019 routes; retry after the seconds in Retry-After',
      },
      storage,
      reflector,
    );
    this.enabled = rate !== undefined && rate.limit > 0;
  }

  override async onModuleInit(): Promise<void> {
    // Unlimited is a choice here, not the misconfiguration the base class warns of.
    if (this.enabled) await super.onModuleInit();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    return this.enabled ? super.canActivate(context) : true;
  }
}

/** One storage for every module with admin routes: a single budget per client. */
@Global()
@Module({
  providers: [{ provide: ADMIN_RATE_LIMIT_STORAGE, useClass: ThrottlerStorageService }],
  exports: [ADMIN_RATE_LIMIT_STORAGE],
})
export class AdminRateLimitModule {}
