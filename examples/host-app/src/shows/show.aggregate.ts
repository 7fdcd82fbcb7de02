import { Aggregate, DomainError, EventOf } from 'nest-backstop';
import { ShowEvent, showScheduled } from './show.events';

export interface ShowState {
  id: string;
  title: string;
  capacity: number;
  version: number;
}

/** A show: its title and capacity. Reservations are aggregates of their own and write nothing here. */
export class Show extends Aggregate<ShowState, EventOf<ShowEvent, 'ShowScheduled'>> {
  static rehydrate(state: ShowState): Show {
    return new Show(state);
  }

  static schedule(id: string, title: string, capacity: number): Show {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new DomainError('VALIDATION_FAILED', 'capacity must be an integer >= 1');
    }
    const show = new Show({ id, title: '', capacity: 0, version: 0 });
    show.record(showScheduled({ showId: id, title, capacity }));
    return show;
  }

  /** Its only event so far; with a second one this becomes a switch ending in assertNever. */
  protected apply(event: EventOf<ShowEvent, 'ShowScheduled'>): void {
    this.state = { ...this.state, title: event.payload.title, capacity: event.payload.capacity };
  }
}
