import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An index that lets a saga read only the event types it subscribes to, so a
 * quiet subscription's poll costs a few index probes instead of a scan of
 * every event of other types after its checkpoint; and the keys a saga
 * parked on an event it could not process, so one poison event stops one
 * key, not a partition. Outside a transaction, so that the index is built
 * CONCURRENTLY: on a large log a plain build would block every append, so
 * every command, for its whole length. Each statement can be run again after
 * an interruption.
 */
export class ParkedKeys1763700500000 implements MigrationInterface {
  name = 'ParkedKeys1763700500000';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    // A build interrupted half way leaves an invalid index behind; drop it so the rerun builds it again.
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS event_log_type_commit_order`);
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY event_log_type_commit_order ON event_log (event_type, transaction_id, position)`,
    );
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS saga_parked_keys (
        saga           text NOT NULL,
        key            text NOT NULL,
        partition      integer NOT NULL,
        head_txid      xid8 NOT NULL,
        head_position  bigint NOT NULL,
        head_event_id  uuid NOT NULL,
        error          text NOT NULL,
        failures       integer NOT NULL,
        parked_at      timestamptz NOT NULL DEFAULT now(),
        updated_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (saga, key)
      )`);
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS saga_parked_keys_partition ON saga_parked_keys (saga, partition)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS saga_parked_keys`);
    // Plain DROP INDEX: TypeORM reverts inside a transaction whatever `transaction` says, and a drop is quick.
    await queryRunner.query(`DROP INDEX IF EXISTS event_log_type_commit_order`);
  }
}
