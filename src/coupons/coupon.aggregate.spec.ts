import { given } from '../testing/aggregate-spec';
import { couponCreated, couponLimitChanged } from './coupon.events';
import { Coupon } from './coupon.aggregate';

const created = couponCreated({ couponId: 'k-1', code: 'SPRING', maxUses: 10, discount: 500, allowedOverbooking: 2 });

describe('Coupon', () => {
  describe('CreateCoupon', () => {
    it('records CouponCreated with allowedOverbooking defaulting to 0', () => {
      expect(Coupon.create('k-1', 'SPRING', 10, 500, 2).getUncommittedEvents()).toEqual([created]);
      expect(Coupon.create('k-2', 'FALL', 1, 1).getUncommittedEvents()).toEqual([
        couponCreated({ couponId: 'k-2', code: 'FALL', maxUses: 1, discount: 1, allowedOverbooking: 0 }),
      ]);
    });

    it.each([
      ['maxUses', () => Coupon.create('k', 'X', 0, 1)],
      ['discount', () => Coupon.create('k', 'X', 1, 0)],
      ['allowedOverbooking', () => Coupon.create('k', 'X', 1, 1, -1)],
    ])('refuses an invalid %s', (field, create) => {
      expect(create).toThrow(
        expect.objectContaining({ code: 'VALIDATION_FAILED', message: expect.stringContaining(field) }),
      );
    });
  });

  describe('ChangeCouponLimit', () => {
    it('records the new maximum, down to zero', () => {
      given(Coupon.blank('k-1'), created)
        .when((coupon) => coupon.changeLimit(0))
        .then([couponLimitChanged({ couponId: 'k-1', previousMaxUses: 10, maxUses: 0 })]);
    });

    it('records nothing for the same maximum', () => {
      given(Coupon.blank('k-1'), created)
        .when((coupon) => coupon.changeLimit(10))
        .then([]);
    });

    it('refuses a negative maximum', () => {
      given(Coupon.blank('k-1'), created)
        .when((coupon) => coupon.changeLimit(-1))
        .thenRefused('VALIDATION_FAILED');
    });
  });
});
