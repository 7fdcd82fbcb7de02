import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Durable sagas: per-partition checkpoints, per-key state, and the outboxes
 * their outputs go to. A saga's state, outputs and checkpoint are written in
 * one transaction, so a crash redoes work without a second effect.
 */
export class SagaRuntime1763700200000 implements MigrationInterface {
  name = 'SagaRuntime1763700200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE saga_partitions (
        saga                 text NOT NULL,
        partition            integer NOT NULL,
        checkpoint_txid      xid8 NOT NULL DEFAULT '0',
        checkpoint_position  bigint NOT NULL DEFAULT 0,
        status               text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'stopped')),
        failures             integer NOT NULL DEFAULT 0,
        last_error           text,
        failed_position      bigint,
        owner                text,
        heartbeat_at         timestamptz,
        events_processed     bigint NOT NULL DEFAULT 0,
        updated_at           timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (saga, partition)
      )`);
    await queryRunner.query(`
      CREATE TABLE saga_states (
        saga        text NOT NULL,
        key         text NOT NULL,
        state       jsonb NOT NULL,
        updated_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (saga, key)
      )`);
    await queryRunner.query(`
      CREATE TABLE command_outbox (
        command_id       text PRIMARY KEY,
        saga             text NOT NULL,
        saga_key         text NOT NULL,
        command_type     text NOT NULL,
        payload          jsonb NOT NULL,
        metadata         jsonb NOT NULL DEFAULT '{}'::jsonb,
        status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'rejected')),
        attempts         integer NOT NULL DEFAULT 0,
        last_error       text,
        next_attempt_at  timestamptz NOT NULL DEFAULT now(),
        locked_until     timestamptz,
        created_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
        done_at          timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX command_outbox_due ON command_outbox (next_attempt_at) WHERE status = 'pending'`,
    );
    await queryRunner.query(`
      CREATE TABLE executed_commands (
        command_id   text PRIMARY KEY,
        executed_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE violations (
        id           uuid PRIMARY KEY,
        invariant    text NOT NULL,
        key          text NOT NULL,
        status       text NOT NULL CHECK (status IN ('open', 'resolved')),
        details      jsonb NOT NULL DEFAULT '{}'::jsonb,
        detected_at  timestamptz NOT NULL,
        resolved_at  timestamptz,
        updated_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX violations_one_open ON violations (invariant, key) WHERE status = 'open'`,
    );
    await queryRunner.query(`CREATE INDEX violations_recent ON violations (detected_at DESC)`);
    await queryRunner.query(`
      CREATE TABLE mail_outbox (
        message_id       text PRIMARY KEY,
        violation_id     uuid,
        kind             text NOT NULL,
        recipients       text[] NOT NULL,
        subject          text NOT NULL,
        text_body        text NOT NULL,
        html_body        text,
        headers          jsonb NOT NULL DEFAULT '{}'::jsonb,
        status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent')),
        attempts         integer NOT NULL DEFAULT 0,
        last_error       text,
        next_attempt_at  timestamptz NOT NULL DEFAULT now(),
        locked_until     timestamptz,
        created_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
        sent_at          timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE status = 'pending'`);
    await queryRunner.query(`CREATE INDEX mail_outbox_by_violation ON mail_outbox (violation_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'mail_outbox',
      'violations',
      'executed_commands',
      'command_outbox',
      'saga_states',
      'saga_partitions',
    ]) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
