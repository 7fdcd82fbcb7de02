import { defineInvariant } from 'nest-backstop';
import { SEAT_AUDIT_SQL, SeatFigures, seatRule } from './seat-capacity.rule';

export const SEAT_CAPACITY = 'seat-capacity';

/** The saga's state per show; plain JSON. `reserved` is in reservation order, newest last. */
interface SeatState {
  showId: string;
  title: string | null;
  capacity: number | null;
  reserved: string[];
  /** Seats the saga asked to release and has not yet seen released. */
  releasing: string[];
  violationId: string | null;
}

const without = (seats: string[], seatId: string) => seats.filter((seat) => seat !== seatId);

/**
 * A show's reserved seats must stay within its capacity plus the tolerance
 * (SEAT_CAPACITY_TOLERANCE). Beyond it the newest reservations are released
 * and an alert goes out. Settings by name: SEAT_CAPACITY_STRATEGY, _REACTIONS, _TOLERANCE.
 */
export const seatCapacity = defineInvariant<SeatState, SeatFigures>({
  name: SEAT_CAPACITY,
  rule: "a show's reserved seats must stay within its capacity plus the overbooking tolerance",
  key: 'showId',
  events: ['ShowScheduled', 'SeatReserved', 'SeatReleased'],
  tolerance: 'setting',
  initialState: (showId) => ({ showId, title: null, capacity: null, reserved: [], releasing: [], violationId: null }),
  evolve: (state, event) => {
    const p = event.payload;
    switch (event.type) {
      case 'ShowScheduled':
        return { ...state, title: p.title, capacity: p.capacity };
      case 'SeatReserved':
        return { ...state, reserved: [...without(state.reserved, p.seatId), p.seatId] };
      case 'SeatReleased':
        return { ...state, reserved: without(state.reserved, p.seatId), releasing: without(state.releasing, p.seatId) };
      default:
        return state;
    }
  },
  onOutput: (state, output) => {
    if (output.kind === 'violation')
      return { ...state, violationId: output.action === 'resolve' ? null : output.violationId };
    if (output.kind === 'command')
      return { ...state, releasing: [...state.releasing, output.payload.seatId as string] };
    return state;
  },
  // A refused release (the seat was released meanwhile): stop waiting for it.
  onRefused: (state, refused) => ({ ...state, releasing: without(state.releasing, String(refused.seatId)) }),
  openEpisode: (state) => state.violationId,
  figures: (state) => (state.capacity === null ? null : { capacity: state.capacity, reserved: state.reserved.length }),
  check: seatRule,
  // Newest first, only what is not being released already: each release lowers `reserved` by one.
  compensate: (state, { judgement }) =>
    state.reserved
      .filter((seat) => !state.releasing.includes(seat))
      .reverse()
      .slice(0, Math.max(0, judgement.actual - judgement.allowed - state.releasing.length))
      .map((seatId) => ({
        type: 'ReleaseSeat',
        ref: seatId,
        payload: { showId: state.showId, seatId, reason: `show ${state.showId} overbooked beyond its tolerance` },
      })),
  details: (state, { judgement }, compensations) => ({
    showId: state.showId,
    capacity: state.capacity,
    reserved: judgement.actual,
    allowed: judgement.allowed,
    releasing: [...state.releasing, ...compensations.map((c) => c.ref)],
  }),
  alert: {
    subjectOf: (state) => `show ${state.title ?? '?'} (${state.showId})`,
    figures: (state, { settings, judgement }) => [
      ['Capacity', state.capacity ?? 0],
      ['Tolerance', settings.tolerance],
      ['Reserved', judgement.actual],
    ],
    involved: (state, compensations) =>
      [...state.reserved]
        .reverse()
        .map((seat) => `seat ${seat}${compensations.some((c) => c.ref === seat) ? ' (being released)' : ''}`),
    action: (_state, _ctx, alert, compensations) =>
      alert === 'resolved'
        ? 'Reservations fit again.'
        : compensations.length
          ? `Releasing the ${compensations.length} newest reservation(s): ` +
            `${compensations.map((c) => c.ref).join(', ')}.`
          : 'No compensation is configured; please review the show.',
  },
  audit: {
    noun: 'show(s)',
    sql: SEAT_AUDIT_SQL,
    figures: (row) => ({ capacity: Number(row.capacity), reserved: Number(row.reserved) }),
  },
});
