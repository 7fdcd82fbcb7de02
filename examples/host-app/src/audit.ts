import 'reflect-metadata';
import { runAudit } from 'nest-backstop';
import { seatCapacity } from './shows/seat-capacity.invariant';

/**
 * `npm run audit`: recomputes every invariant (the built-ins and seat-capacity)
 * from the current rows and compares with the open episodes. Exits 1 on a
 * breach without an episode (MISS) or an open episode whose rule holds
 * (STALE), 2 when it cannot run. Settings by name (SEAT_CAPACITY_TOLERANCE...)
 * are read from the environment as at the app's start.
 */
void runAudit({ invariants: [seatCapacity] }).then((code) => process.exit(code));
