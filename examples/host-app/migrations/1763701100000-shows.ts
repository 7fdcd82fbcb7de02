import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The host's own tables: each aggregate's current state, saved with its events
 * in one transaction. A reservation row is its own aggregate, so reservations
 * of one show never conflict with each other (that is where overbooking can
 * happen, and why the seat-capacity invariant exists).
 */
export class Shows1763701100000 implements MigrationInterface {
  name = 'Shows1763701100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE shows (
        id          text PRIMARY KEY,
        title       text NOT NULL,
        capacity    integer NOT NULL CHECK (capacity >= 1),
        version     integer NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE reservations (
        id          text PRIMARY KEY,
        show_id     text NOT NULL,
        seat_id     text NOT NULL,
        status      text NOT NULL CHECK (status IN ('reserved', 'released')),
        version     integer NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);
    // The last-moment check and the audit count a show's reserved seats.
    await queryRunner.query(`CREATE INDEX reservations_reserved ON reservations (show_id) WHERE status = 'reserved'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE reservations');
    await queryRunner.query('DROP TABLE shows');
  }
}
