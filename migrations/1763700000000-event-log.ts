import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The event log: one append-only table. Readers follow it in commit-safe order
 * (transaction_id, position) and never pass a transaction that is still open,
 * so an event whose transaction commits late is never skipped.
 */
export class EventLog1763700000000 implements MigrationInterface {
  name = 'EventLog1763700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE event_log (
        position        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        transaction_id  xid8 NOT NULL DEFAULT pg_current_xact_id(),
        event_id        uuid NOT NULL,
        stream_type     text NOT NULL,
        stream_id       text NOT NULL,
        stream_version  integer NOT NULL CHECK (stream_version >= 1),
        event_type      text NOT NULL,
        payload         jsonb NOT NULL,
        metadata        jsonb NOT NULL DEFAULT '{}'::jsonb,
        tags            text[] NOT NULL DEFAULT '{}',
        recorded_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT event_log_event_id_key UNIQUE (event_id),
        CONSTRAINT event_log_stream_version_key UNIQUE (stream_id, stream_version)
      )`);
    await queryRunner.query(`CREATE INDEX event_log_commit_order ON event_log (transaction_id, position)`);
    await queryRunner.query(`CREATE INDEX event_log_tags ON event_log USING gin (tags)`);
    // NOTIFY is delivered on commit only, so a listener never wakes for a rolled-back append.
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

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE event_log`);
    await queryRunner.query(`DROP FUNCTION event_log_notify()`);
  }
}
