import { Aggregate } from '../aggregates/aggregate';
import { DomainError } from '../shared/domain-error';
import { assertNever } from '../aggregates/domain-event';
import { couponCreated, CouponEvent, couponLimitChanged } from './coupon.events';

export interface CouponState {
  id: string;
  code: string;
  maxUses: number;
  discount: number;
  allowedOverbooking: number;
  version: number;
}

function assertInteger(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new DomainError('VALIDATION_FAILED', `${name} must be an integer >= ${min}`);
  }
}

/**
 * The coupon's own rules only. Applying a coupon is an Order event tagged
 * with the coupon and writes nothing here: that is where overbooking can
 * happen, and why the coupon-usage saga exists.
 */
export class Coupon extends Aggregate<CouponState, CouponEvent> {
  static rehydrate(state: CouponState): Coupon {
    return new Coupon(state);
  }

  /** Before its first event. */
  static blank(id: string): Coupon {
    return new Coupon({ id, code: '', maxUses: 0, discount: 0, allowedOverbooking: 0, version: 0 });
  }

  static create(id: string, code: string, maxUses: number, discount: number, allowedOverbooking = 0): Coupon {
    assertInteger('maxUses', maxUses, 1);
    assertInteger('discount', discount, 1);
    assertInteger('allowedOverbooking', allowedOverbooking, 0);
    const coupon = Coupon.blank(id);
    coupon.record(couponCreated({ couponId: id, code, maxUses, discount, allowedOverbooking }));
    return coupon;
  }

  changeLimit(maxUses: number): void {
    assertInteger('maxUses', maxUses, 0);
    if (maxUses === this.state.maxUses) return;
    this.record(couponLimitChanged({ couponId: this.id, previousMaxUses: this.state.maxUses, maxUses }));
  }

  protected apply(event: CouponEvent): void {
    switch (event.type) {
      case 'CouponCreated': {
        const { code, maxUses, discount, allowedOverbooking } = event.payload;
        this.state = { ...this.state, code, maxUses, discount, allowedOverbooking };
        return;
      }
      case 'CouponLimitChanged':
        this.state = { ...this.state, maxUses: event.payload.maxUses };
        return;
      default:
        assertNever(event);
    }
  }
}
