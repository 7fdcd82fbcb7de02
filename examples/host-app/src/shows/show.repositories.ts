import { Injectable } from '@nestjs/common';
import { AggregateRepository, EventLogService } from 'nest-backstop';
import { Reservation, ReservationState } from './reservation.aggregate';
import { Show, ShowState } from './show.aggregate';

@Injectable()
export class ShowRepository extends AggregateRepository<Show, ShowState> {
  protected readonly streamType = 'Show';
  protected readonly table = 'shows';
  protected readonly columns = { id: 'id', title: 'title', capacity: 'capacity', version: 'version' };
  protected readonly amounts = [] as const;

  constructor(eventLog: EventLogService) {
    super(eventLog);
  }

  protected rehydrate(state: ShowState): Show {
    return Show.rehydrate(state);
  }
}

@Injectable()
export class ReservationRepository extends AggregateRepository<Reservation, ReservationState> {
  protected readonly streamType = 'Reservation';
  protected readonly table = 'reservations';
  protected readonly columns = { id: 'id', showId: 'show_id', seatId: 'seat_id', status: 'status', version: 'version' };
  protected readonly amounts = [] as const;

  constructor(eventLog: EventLogService) {
    super(eventLog);
  }

  protected rehydrate(state: ReservationState): Reservation {
    return Reservation.rehydrate(state);
  }
}
