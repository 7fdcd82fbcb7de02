import { Injectable } from '@nestjs/common';
import { COUPON_USAGE_EVENTS } from './coupon-usage.saga';
import { CREDIT_LIMIT_EVENTS } from './credit-limit.saga';
import { INVARIANT_NAMES } from '../config/backstop.options';
import { InvariantSettings } from './invariant-settings';
import { ViolationQueries } from '../violations/violation-queries';

const KEYS: Record<string, string> = { 'credit-limit': 'customerId', 'coupon-usage': 'couponId' };
const EVENTS: Record<string, string[]> = { 'credit-limit': CREDIT_LIMIT_EVENTS, 'coupon-usage': COUPON_USAGE_EVENTS };

/** The built-in invariants as configured, with their open episode counts. */
@Injectable()
export class InvariantsOverview {
  constructor(
    private readonly settings: InvariantSettings,
    private readonly violations: ViolationQueries,
  ) {}

  async summary() {
    const open = await this.violations.openCounts();
    return INVARIANT_NAMES.map((name) => {
      const { strategy, reactions, tolerance } = this.settings.of(name);
      return {
        name,
        key: KEYS[name],
        strategy,
        reactions,
        // A coupon's tolerance is its own allowedOverbooking: there is no single figure.
        tolerance: name === 'coupon-usage' ? null : tolerance,
        events: EVENTS[name],
        openViolations: open[name] ?? 0,
      };
    });
  }
}
