import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandMeta } from '../commands/command-meta';
import { CommandRunner } from '../commands/command-runner';
import { CouponState } from './coupon.aggregate';
import { CouponRepository } from './coupon.repository';

export class ChangeCouponLimitCommand extends Command<CouponState> {
  /** The stable name in logs and metrics (`backstop_commands_total{command}`), never the class name. */
  static readonly type = 'ChangeCouponLimit';

  constructor(
    readonly couponId: string,
    readonly maxUses: number,
    readonly meta: CommandMeta = {},
  ) {
    super();
  }
}

@CommandHandler(ChangeCouponLimitCommand)
export class ChangeCouponLimitHandler implements ICommandHandler<ChangeCouponLimitCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly coupons: CouponRepository,
  ) {}

  execute(command: ChangeCouponLimitCommand): Promise<CouponState> {
    const { couponId, maxUses, meta } = command;
    return this.runner.runSingleWrite(command, (tx) =>
      this.coupons.change(tx, couponId, meta, (coupon) => coupon.changeLimit(maxUses)),
    );
  }
}
