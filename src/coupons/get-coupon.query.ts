import { Query } from '@nestjs/cqrs';

export interface CouponView {
  id: string;
  code: string;
  maxUses: number;
  allowedOverbooking: number;
  discount: number;
  uses: number;
  version: number;
}

export class GetCouponQuery extends Query<CouponView> {
  constructor(readonly couponId: string) {
    super();
  }
}
