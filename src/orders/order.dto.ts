import { isBoundedInt, IsBoundedInt, IsEntityId, isEntityId, MAX_AMOUNT } from '../http/validation';

const CREATE_ORDER_FIELDS = new Set(['id', 'customerId', 'total']);

export class CreateOrderDto {
  @IsEntityId('Client-chosen id; generated when absent', true)
  id?: string;

  @IsEntityId('The ordering customer')
  customerId: string;

  @IsBoundedInt(1, MAX_AMOUNT, 'Gross total in cents')
  total: number;

  /** The rules above for the usual body of the busiest command (see QuicklyAccepted). */
  static acceptsQuickly(body: Record<string, unknown>): boolean {
    for (const key in body) if (!Object.hasOwn(body, key) || !CREATE_ORDER_FIELDS.has(key)) return false;
    return (
      isEntityId(body.customerId) &&
      isBoundedInt(body.total, 1, MAX_AMOUNT) &&
      (!Object.hasOwn(body, 'id') || isEntityId(body.id))
    );
  }
}

export class ChangeOrderTotalDto {
  @IsBoundedInt(1, MAX_AMOUNT, 'New gross total in cents')
  total: number;
}

export class ApplyCouponDto {
  @IsEntityId('The coupon to apply')
  couponId: string;
}

/** Commands without parameters still refuse unknown fields. */
export class EmptyDto {}
