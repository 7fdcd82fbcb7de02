import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Drops the NOTIFY trigger on event_log. A transaction that notifies takes one
 * server-wide lock at commit, so every command serialized on it. Instances now
 * wake their own sagas after the commit and tell the others with a coalesced
 * NOTIFY sent outside command transactions (src/event-log/append-signal.ts).
 */
export class EventLogNotifyOff1763701300000 implements MigrationInterface {
  name = 'EventLogNotifyOff1763701300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER IF EXISTS event_log_notify ON event_log`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS event_log_notify()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION event_log_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('backstop_event_log', '');
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER event_log_notify AFTER INSERT ON event_log
      FOR EACH STATEMENT EXECUTE FUNCTION event_log_notify()`);
  }
}
