import { Module, OnModuleInit } from '@nestjs/common';
import { BackstopModule, CommandRegistry } from 'nest-backstop';
import { ReleaseSeatCommand, ReleaseSeatHandler } from './release-seat';
import { ReserveSeatHandler } from './reserve-seat';
import { ScheduleShowHandler } from './schedule-show';
import { seatCapacity } from './seat-capacity.invariant';
import { ReservationRepository, ShowRepository } from './show.repositories';
import { ShowsController } from './shows.controller';

@Module({
  // The invariant gets its saga, settings by name, /invariants row, metrics and audit rows.
  imports: [BackstopModule.forInvariants([seatCapacity])],
  controllers: [ShowsController],
  providers: [ShowRepository, ReservationRepository, ScheduleShowHandler, ReserveSeatHandler, ReleaseSeatHandler],
})
export class ShowsModule implements OnModuleInit {
  constructor(private readonly commands: CommandRegistry) {}

  /** The compensation the seat-capacity saga issues, stored as { type, payload } in Backstop's outbox. */
  onModuleInit(): void {
    this.commands.register(
      'ReleaseSeat',
      (p, meta) => new ReleaseSeatCommand(p.showId, p.seatId, p.reason, p.violationId, meta),
    );
  }
}
