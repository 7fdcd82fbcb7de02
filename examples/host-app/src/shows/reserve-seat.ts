import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandMeta, CommandRunner, DomainError, InvariantSettings, lockIfPrevent, wouldExceed } from 'nest-backstop';
import { Reservation, reservationId, ReservationState } from './reservation.aggregate';
import { SEAT_CAPACITY } from './seat-capacity.invariant';
import { reservedSeats, seatRule } from './seat-capacity.rule';
import { ReservationRepository, ShowRepository } from './show.repositories';

export class ReserveSeatCommand extends Command<ReservationState> {
  static readonly type = 'ReserveSeat';

  constructor(
    readonly showId: string,
    readonly seatId: string,
    readonly meta: CommandMeta = {},
  ) {
    super();
  }
}

/**
 * The last-moment check (minimize): reads the show and its reserved seats
 * without locking them, then changes only the reservation. Under `react` two
 * racing reservations can both pass, and the seat-capacity saga reacts; under
 * `prevent` they queue on the show first, so the check sees every earlier commit.
 */
@CommandHandler(ReserveSeatCommand)
export class ReserveSeatHandler implements ICommandHandler<ReserveSeatCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly shows: ShowRepository,
    private readonly reservations: ReservationRepository,
    private readonly settings: InvariantSettings,
  ) {}

  execute(command: ReserveSeatCommand): Promise<ReservationState> {
    const { showId, seatId, meta } = command;
    return this.runner.run(command, async (tx) => {
      await lockIfPrevent(tx, this.settings, SEAT_CAPACITY, showId);
      const show = (await this.shows.get(tx, showId)).snapshot();
      const figures = { capacity: show.capacity, reserved: await reservedSeats(tx, showId) };
      if (wouldExceed(seatRule, figures, 1)) {
        throw new DomainError('INVALID_STATE', `show ${showId} is sold out (${figures.reserved} of ${show.capacity})`);
      }
      const reservation =
        (await this.reservations.load(tx, reservationId(showId, seatId))) ?? Reservation.blank(showId, seatId);
      reservation.reserve();
      await this.reservations.save(tx, reservation, meta);
      return reservation.snapshot();
    });
  }
}
