import { commandNameOf } from '../../src/commands/command-runner';
import { ChangeCouponLimitCommand } from '../../src/coupons/change-coupon-limit';
import { CreateCouponCommand } from '../../src/coupons/create-coupon';
import { ChangeCreditLimitCommand } from '../../src/customers/change-credit-limit';
import { RegisterCustomerCommand } from '../../src/customers/register-customer';
import { ApplyCouponCommand } from '../../src/orders/apply-coupon';
import { CancelOrderCommand } from '../../src/orders/cancel-order';
import { ChangeOrderTotalCommand } from '../../src/orders/change-order-total';
import { CompleteOrderCommand } from '../../src/orders/complete-order';
import { CreateOrderCommand } from '../../src/orders/create-order';
import { HoldOrderCommand } from '../../src/orders/hold-order';
import { ReleaseOrderCommand } from '../../src/orders/release-order';
import { RevokeCouponCommand } from '../../src/orders/revoke-coupon';

const commands = [
  ChangeCouponLimitCommand,
  CreateCouponCommand,
  ChangeCreditLimitCommand,
  RegisterCustomerCommand,
  ApplyCouponCommand,
  CancelOrderCommand,
  ChangeOrderTotalCommand,
  CompleteOrderCommand,
  CreateOrderCommand,
  HoldOrderCommand,
  ReleaseOrderCommand,
  RevokeCouponCommand,
];

describe('command names in logs and metrics', () => {
  it.each(commands.map((c) => [c.name, c] as const))('%s keeps the label it had (class name minus Command)', (_, c) => {
    expect(commandNameOf(Object.create(c.prototype) as object)).toBe(c.name.replace(/Command$/, ''));
  });

  it('come from the static type, not the class name: a renamed (minified-like) subclass keeps the label', () => {
    const Renamed = class extends CancelOrderCommand {};
    Object.defineProperty(Renamed, 'name', { value: 'a' });
    expect(commandNameOf(new Renamed('o-1'))).toBe('CancelOrder');
  });

  it('refuse a command class without a static type', () => {
    class Anonymous {}
    expect(() => commandNameOf(new Anonymous())).toThrow(/declares no `static readonly type`/);
  });
});
