import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Drops the GIN index on event_log.tags. Nothing on a hot path reads it (only
 * EventLogService.readByTag, which tests and tools call, and which still works
 * by a scan), and every append paid for it. docs/benchmarks.md, "Indexes on
 * event_log", has the figures. Dropped CONCURRENTLY, outside a transaction,
 * so that appends are not blocked while the drop waits for its lock.
 */
export class DropEventLogTagsIndex1763701600000 implements MigrationInterface {
  name = 'DropEventLogTagsIndex1763701600000';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS event_log_tags`);
  }

  // A plain build: TypeORM reverts inside a transaction whatever `transaction` says (it blocks appends while it runs).
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS event_log_tags ON event_log USING gin (tags)`);
  }
}
