import { IsBoundedInt, IsEntityId, IsLabel, MAX_AMOUNT } from '../http/validation';

export const MAX_USES = 1e9;

export class CreateCouponDto {
  @IsEntityId('Client-chosen id; generated when absent', true)
  id?: string;

  @IsLabel('Coupon code shown to customers')
  code: string;

  @IsBoundedInt(1, MAX_USES, 'How many orders may hold the coupon')
  maxUses: number;

  @IsBoundedInt(1, MAX_AMOUNT, 'Fixed discount in cents (capped at the order total)')
  discount: number;

  @IsBoundedInt(0, MAX_USES, 'Uses beyond maxUses accepted silently (default 0)', true)
  allowedOverbooking?: number;
}

export class ChangeCouponLimitDto {
  @IsBoundedInt(0, MAX_USES, 'New maximum number of uses')
  maxUses: number;
}
