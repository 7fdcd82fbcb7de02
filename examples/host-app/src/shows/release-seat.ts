import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandMeta, CommandRunner } from 'nest-backstop';
import { reservationId, ReservationState } from './reservation.aggregate';
import { ReservationRepository } from './show.repositories';

/** Releases a seat: a guest's cancellation, or the seat-capacity invariant's compensation (with its violationId). */
export class ReleaseSeatCommand extends Command<ReservationState> {
  static readonly type = 'ReleaseSeat';

  constructor(
    readonly showId: string,
    readonly seatId: string,
    readonly reason?: string,
    readonly violationId?: string,
    readonly meta: CommandMeta = {},
  ) {
    super();
  }
}

@CommandHandler(ReleaseSeatCommand)
export class ReleaseSeatHandler implements ICommandHandler<ReleaseSeatCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly reservations: ReservationRepository,
  ) {}

  execute(command: ReleaseSeatCommand): Promise<ReservationState> {
    const { showId, seatId, reason, violationId, meta } = command;
    return this.runner.run(command, (tx) =>
      this.reservations.change(tx, reservationId(showId, seatId), meta, (seat) => seat.release(reason, violationId)),
    );
  }
}
