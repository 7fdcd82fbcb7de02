import { MigrationInterface, QueryRunner } from 'typeorm';

const INDEXES: [name: string, definition: string][] = [
  // Each retention delete is a range read from the oldest end of one of these.
  ['executed_commands_by_age', 'executed_commands (executed_at)'],
  ['command_outbox_finished', `command_outbox (done_at) WHERE status <> 'pending'`],
  ['mail_outbox_sent', `mail_outbox (sent_at) WHERE status = 'sent'`],
  ['violations_resolved', `violations (resolved_at) WHERE status = 'resolved'`],
  // A violation's compensating commands, found by the id in their payload (its reactions, and its deletion).
  ['command_outbox_by_violation', `command_outbox ((payload->>'violationId'))`],
];

/**
 * Indexes for retention. Built CONCURRENTLY, outside a transaction, so that
 * adding them to a large live database does not block the outboxes' writes
 * for the length of the build.
 */
export class RetentionIndexes1763700800000 implements MigrationInterface {
  name = 'RetentionIndexes1763700800000';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [name, definition] of INDEXES) {
      // A build interrupted half way leaves an invalid index behind; drop it so the rerun builds it again.
      await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
      await queryRunner.query(`CREATE INDEX CONCURRENTLY ${name} ON ${definition}`);
    }
  }

  // Plain DROP INDEX: TypeORM reverts inside a transaction whatever `transaction` says, and a drop is quick.
  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [name] of INDEXES) await queryRunner.query(`DROP INDEX IF EXISTS ${name}`);
  }
}
