/** The event type of a compensating command the domain refused (see sagas/compensation-rejected.event.ts). */
export const COMPENSATION_REJECTED = 'CompensationRejected';
