import { DomainEvent, factoriesOf } from 'nest-backstop';

/** The events of shows and their reservations; the `type` strings are stored in the log and must never change. */
export type ShowEvent =
  | DomainEvent<'ShowScheduled', { showId: string; title: string; capacity: number }>
  | DomainEvent<'SeatReserved', { showId: string; seatId: string }>
  | DomainEvent<'SeatReleased', { showId: string; seatId: string; reason?: string; violationId?: string }>;

const showEvent = factoriesOf<ShowEvent>();
export const showScheduled = showEvent('ShowScheduled');
export const seatReserved = showEvent('SeatReserved');
export const seatReleased = showEvent('SeatReleased');
