import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CouponUses } from './coupon-uses';
import { CouponRepository } from './coupon.repository';
import { CouponView } from './coupon.view';

export class GetCouponQuery extends Query<CouponView> {
  constructor(readonly couponId: string) {
    super();
  }
}

@QueryHandler(GetCouponQuery)
export class GetCouponHandler implements IQueryHandler<GetCouponQuery> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly coupons: CouponRepository,
    private readonly uses: CouponUses,
  ) {}

  async execute({ couponId }: GetCouponQuery): Promise<CouponView> {
    const { manager } = this.dataSource;
    const { id, code, maxUses, allowedOverbooking, discount, version } = (
      await this.coupons.get(manager, couponId)
    ).snapshot();
    return { id, code, maxUses, allowedOverbooking, discount, uses: await this.uses.of(manager, couponId), version };
  }
}
