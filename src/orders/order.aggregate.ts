import { Aggregate } from '../aggregates/aggregate';
import { DomainError, invalidState } from '../shared/domain-error';
import {
  CouponApplied,
  CouponRevoked,
  OrderCancelled,
  OrderCompleted,
  OrderCreated,
  OrderPutOnHold,
  OrderReleased,
  OrderTotalChanged,
} from './order.events';
import { CouponSnapshot, CreditSnapshot } from './credit-snapshot';

export type OrderStatus = 'open' | 'on_hold' | 'cancelled' | 'completed';

export interface OrderState {
  id: string;
  customerId: string;
  total: number;
  discount: number;
  couponId: string | null;
  /** The applied coupon's own amount; `discount` is it capped at the total. */
  couponDiscount: number | null;
  status: OrderStatus;
  version: number;
}

function assertWithinLimit(credit: CreditSnapshot, added: number): void {
  if (credit.exceeds(added)) {
    throw new DomainError(
      'CREDIT_LIMIT_EXCEEDED',
      `customer ${credit.customerId}: exposure ${credit.exposure} + ${added} exceeds the credit limit ${credit.creditLimit}`,
    );
  }
}

export class Order extends Aggregate<OrderState> {
  static rehydrate(state: OrderState): Order {
    return new Order(state);
  }

  /** Before its first event. */
  static blank(id: string): Order {
    return new Order({
      id,
      customerId: '',
      total: 0,
      discount: 0,
      couponId: null,
      couponDiscount: null,
      status: 'open',
      version: 0,
    });
  }

  static create(id: string, total: number, credit: CreditSnapshot): Order {
    assertWithinLimit(credit, total);
    const order = Order.blank(id);
    order.record(new OrderCreated(id, credit.customerId, total));
    return order;
  }

  private get couponId(): string | undefined {
    return this.state.couponId ?? undefined;
  }

  private requireStatus(command: string, ...allowed: OrderStatus[]): void {
    if (!allowed.includes(this.state.status)) {
      throw invalidState(`cannot ${command} order ${this.id}: it is ${this.state.status}`);
    }
  }

  changeTotal(total: number, credit: CreditSnapshot): void {
    this.requireStatus('change the total of', 'open');
    if (total === this.state.total) return;
    const discount = Math.min(this.state.couponDiscount ?? 0, total);
    const increase = total - discount - (this.state.total - this.state.discount);
    if (increase > 0) assertWithinLimit(credit, increase);
    this.record(
      new OrderTotalChanged(this.id, this.state.customerId, this.state.total, total, discount, this.couponId),
    );
  }

  cancel(): void {
    this.requireStatus('cancel', 'open', 'on_hold');
    this.record(new OrderCancelled(this.id, this.state.customerId, this.couponId));
  }

  complete(): void {
    this.requireStatus('complete', 'open');
    this.record(new OrderCompleted(this.id, this.state.customerId, this.couponId));
  }

  applyCoupon(coupon: CouponSnapshot): void {
    this.requireStatus('apply a coupon to', 'open');
    if (this.state.couponId !== null)
      throw invalidState(`order ${this.id} already holds coupon ${this.state.couponId}`);
    if (coupon.exceeds(1)) {
      throw new DomainError(
        'COUPON_EXHAUSTED',
        `coupon ${coupon.couponId} is used ${coupon.uses} of ${coupon.maxUses} times`,
      );
    }
    const discount = Math.min(coupon.discount, this.state.total);
    this.record(new CouponApplied(this.id, this.state.customerId, coupon.couponId, discount, coupon.discount));
  }

  hold(reason: string, violationId?: string): void {
    this.requireStatus('hold', 'open');
    this.record(new OrderPutOnHold(this.id, this.state.customerId, reason, violationId, this.couponId));
  }

  release(credit: CreditSnapshot): void {
    this.requireStatus('release', 'on_hold');
    assertWithinLimit(credit, this.state.total - this.state.discount);
    this.record(new OrderReleased(this.id, this.state.customerId, this.couponId));
  }

  /**
   * Held and completed orders still use their coupon, so the compensation
   * may take it back; a cancelled one does not, and revoking there would
   * give the credit saga a discount to remove from an order it has dropped.
   */
  revokeCoupon(reason: string, violationId?: string): void {
    this.requireStatus('revoke the coupon of', 'open', 'on_hold', 'completed');
    if (this.state.couponId === null) throw invalidState(`order ${this.id} holds no coupon`);
    this.record(
      new CouponRevoked(this.id, this.state.customerId, this.state.couponId, this.state.discount, reason, violationId),
    );
  }

  onOrderCreated(event: OrderCreated): void {
    this.state = { ...this.state, customerId: event.customerId, total: event.total };
  }

  onOrderTotalChanged(event: OrderTotalChanged): void {
    this.state = { ...this.state, total: event.newTotal, discount: event.discount };
  }

  onOrderCancelled(): void {
    this.state = { ...this.state, status: 'cancelled' };
  }

  onOrderCompleted(): void {
    this.state = { ...this.state, status: 'completed' };
  }

  onCouponApplied(event: CouponApplied): void {
    this.state = {
      ...this.state,
      couponId: event.couponId,
      discount: event.discount,
      couponDiscount: event.couponAmount,
    };
  }

  onOrderPutOnHold(): void {
    this.state = { ...this.state, status: 'on_hold' };
  }

  onOrderReleased(): void {
    this.state = { ...this.state, status: 'open' };
  }

  onCouponRevoked(): void {
    this.state = { ...this.state, couponId: null, couponDiscount: null, discount: 0 };
  }
}
