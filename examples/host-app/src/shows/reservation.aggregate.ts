import { Aggregate, assertNever, DomainError, EventOf } from 'nest-backstop';
import { seatReleased, seatReserved, ShowEvent } from './show.events';

export interface ReservationState {
  id: string;
  showId: string;
  seatId: string;
  status: 'reserved' | 'released';
  version: number;
}

type ReservationEvent = EventOf<ShowEvent, 'SeatReserved' | 'SeatReleased'>;

export const reservationId = (showId: string, seatId: string) => `${showId}/${seatId}`;

/** One seat of one show. Its own rule: reserved at most once at a time. The show's capacity is the invariant's. */
export class Reservation extends Aggregate<ReservationState, ReservationEvent> {
  static rehydrate(state: ReservationState): Reservation {
    return new Reservation(state);
  }

  static blank(showId: string, seatId: string): Reservation {
    return new Reservation({ id: reservationId(showId, seatId), showId, seatId, status: 'released', version: 0 });
  }

  reserve(): void {
    if (this.state.status === 'reserved') {
      throw new DomainError('INVALID_STATE', `seat ${this.state.seatId} of show ${this.state.showId} is taken`);
    }
    this.record(seatReserved({ showId: this.state.showId, seatId: this.state.seatId }));
  }

  release(reason?: string, violationId?: string): void {
    if (this.state.status !== 'reserved') {
      throw new DomainError('INVALID_STATE', `seat ${this.state.seatId} of show ${this.state.showId} is not reserved`);
    }
    this.record(seatReleased({ showId: this.state.showId, seatId: this.state.seatId, reason, violationId }));
  }

  protected apply(event: ReservationEvent): void {
    switch (event.type) {
      case 'SeatReserved':
        this.state = { ...this.state, status: 'reserved' };
        return;
      case 'SeatReleased':
        this.state = { ...this.state, status: 'released' };
        return;
      default:
        assertNever(event);
    }
  }
}
