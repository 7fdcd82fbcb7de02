import { Body, Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ReservationState } from './reservation.aggregate';
import { ReleaseSeatCommand } from './release-seat';
import { ReserveSeatCommand } from './reserve-seat';
import { ScheduleShowCommand } from './schedule-show';
import { ShowState } from './show.aggregate';
import { ReserveSeatDto, ScheduleShowDto } from './show.dto';

/** Backstop's error format applies (configureApp): a sold-out show answers 422 INVALID_STATE. */
@Controller('shows')
export class ShowsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  schedule(@Body() body: ScheduleShowDto): Promise<ShowState> {
    return this.commands.execute(new ScheduleShowCommand(body.id, body.title, body.capacity));
  }

  @Post(':showId/reservations')
  reserve(@Param('showId') showId: string, @Body() body: ReserveSeatDto): Promise<ReservationState> {
    return this.commands.execute(new ReserveSeatCommand(showId, body.seatId));
  }

  @Delete(':showId/reservations/:seatId')
  @HttpCode(200)
  release(@Param('showId') showId: string, @Param('seatId') seatId: string): Promise<ReservationState> {
    return this.commands.execute(new ReleaseSeatCommand(showId, seatId, 'released by the guest'));
  }
}
