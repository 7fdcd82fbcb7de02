import { Aggregate } from '../aggregates/aggregate';
import { DomainError, invalidState } from '../shared/domain-error';
import { assertNever } from '../aggregates/domain-event';
import {
  couponApplied,
  couponRevoked,
  orderCancelled,
  orderCompleted,
  orderCreated,
  OrderEvent,
  orderPutOnHold,
  orderReleased,
  orderTotalChanged,
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
      `customer ${credit.customerId}: exposure ${credit.exposure} ` +
        `+ ${added} exceeds the credit limit ${credit.creditLimit}`,
    );
  }
}

export class Order extends Aggregate<OrderState, OrderEvent> {
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
    order.record(orderCreated({ orderId: id, customerId: credit.customerId, total }));
    return order;
  }

  private get couponId(): string | undefined {
    return this.state.couponId ?? undefined;
  }

  /** The tags every order event carries. */
  private get tagged() {
    return { orderId: this.id, customerId: this.state.customerId, couponId: this.couponId };
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
      orderTotalChanged({
        orderId: this.id,
        customerId: this.state.customerId,
        previousTotal: this.state.total,
        newTotal: total,
        discount,
        couponId: this.couponId,
      }),
    );
  }

  cancel(): void {
    this.requireStatus('cancel', 'open', 'on_hold');
    this.record(orderCancelled(this.tagged));
  }

  complete(): void {
    this.requireStatus('complete', 'open');
    this.record(orderCompleted(this.tagged));
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
    this.record(
      couponApplied({
        orderId: this.id,
        customerId: this.state.customerId,
        couponId: coupon.couponId,
        discount,
        couponAmount: coupon.discount,
      }),
    );
  }

  hold(reason: string, violationId?: string): void {
    this.requireStatus('hold', 'open');
    this.record(
      orderPutOnHold({
        orderId: this.id,
        customerId: this.state.customerId,
        reason,
        violationId,
        couponId: this.couponId,
      }),
    );
  }

  release(credit: CreditSnapshot): void {
    this.requireStatus('release', 'on_hold');
    assertWithinLimit(credit, this.state.total - this.state.discount);
    this.record(orderReleased(this.tagged));
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
      couponRevoked({
        orderId: this.id,
        customerId: this.state.customerId,
        couponId: this.state.couponId,
        discount: this.state.discount,
        reason,
        violationId,
      }),
    );
  }

  protected apply(event: OrderEvent): void {
    switch (event.type) {
      case 'OrderCreated':
        this.state = { ...this.state, customerId: event.payload.customerId, total: event.payload.total };
        return;
      case 'OrderTotalChanged':
        this.state = { ...this.state, total: event.payload.newTotal, discount: event.payload.discount };
        return;
      case 'OrderCancelled':
        this.state = { ...this.state, status: 'cancelled' };
        return;
      case 'OrderCompleted':
        this.state = { ...this.state, status: 'completed' };
        return;
      case 'CouponApplied':
        this.state = {
          ...this.state,
          couponId: event.payload.couponId,
          discount: event.payload.discount,
          couponDiscount: event.payload.couponAmount,
        };
        return;
      case 'OrderPutOnHold':
        this.state = { ...this.state, status: 'on_hold' };
        return;
      case 'OrderReleased':
        this.state = { ...this.state, status: 'open' };
        return;
      case 'CouponRevoked':
        this.state = { ...this.state, couponId: null, couponDiscount: null, discount: 0 };
        return;
      default:
        assertNever(event);
    }
  }
}
