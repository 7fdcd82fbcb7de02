import { Injectable } from '@nestjs/common';
import { EventLogService } from '../event-log/event-log.service';
import { AggregateRepository } from '../aggregates/aggregate-repository';
import { Coupon, CouponState } from './coupon.aggregate';

@Injectable()
export class CouponRepository extends AggregateRepository<Coupon, CouponState> {
  protected readonly streamType = 'Coupon';
  protected readonly table = 'coupons';
  protected readonly columns = {
    id: 'id',
    code: 'code',
    maxUses: 'max_uses',
    discount: 'discount',
    allowedOverbooking: 'allowed_overbooking',
    version: 'version',
  };
  protected readonly amounts = ['discount'] as const;

  constructor(eventLog: EventLogService) {
    super(eventLog);
  }

  protected rehydrate(state: CouponState): Coupon {
    return Coupon.rehydrate(state);
  }
}
