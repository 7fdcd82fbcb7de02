import { IsBoundedInt, IsEntityId, MAX_AMOUNT } from '../http/validation';

export class CreateOrderDto {
  @IsEntityId('Client-chosen id; generated when absent', true)
  id?: string;

  @IsEntityId('The ordering customer')
  customerId: string;

  @IsBoundedInt(1, MAX_AMOUNT, 'Gross total in cents')
  total: number;
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
