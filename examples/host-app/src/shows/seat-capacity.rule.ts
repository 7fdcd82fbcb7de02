import { InvariantRule } from 'nest-backstop';
import { EntityManager } from 'typeorm';

/** What the rule reads: the show's capacity and its reserved seats. */
export interface SeatFigures {
  capacity: number;
  reserved: number;
}

/**
 * Written once, for the reserve command's check (strict: `wouldExceed`), the
 * saga and the audit (`judge`, with the configured tolerance as slack).
 */
export const seatRule: InvariantRule<SeatFigures> = {
  actual: (figures) => figures.reserved,
  limit: (figures) => figures.capacity,
  slack: (_figures, tolerance) => tolerance,
};

/** The show's reserved seats now, as the last-moment check reads them (no lock: under `react` it may race). */
export async function reservedSeats(tx: EntityManager, showId: string): Promise<number> {
  const [row] = await tx.query(
    `SELECT count(*)::int AS reserved FROM reservations WHERE show_id = $1 AND status = 'reserved'`,
    [showId],
  );
  return row.reserved;
}

/** The audit's recomputation from the current rows: every show, its capacity and its reserved seats. */
export const SEAT_AUDIT_SQL = `SELECT s.id AS key, s.capacity::text AS capacity,
       (SELECT count(*) FROM reservations r WHERE r.show_id = s.id AND r.status = 'reserved')::text AS reserved
  FROM shows s ORDER BY s.id`;
