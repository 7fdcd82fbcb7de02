import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Keeps the map a saga names (`SagaOptions.entries`, e.g. a customer's open
 * orders) one row per entry, so that a batch writes only the entries it
 * changed. Existing states are not split here (which field is a map is known
 * only to the code): the runtime reads both shapes and splits a state the
 * first time a batch writes it. The new column is nullable with no default,
 * so adding it rewrites nothing.
 */
export class SagaStateEntries1763701700000 implements MigrationInterface {
  name = 'SagaStateEntries1763701700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE saga_states ADD COLUMN entries_field text`);
    await queryRunner.query(`
      CREATE TABLE saga_state_entries (
        saga   text NOT NULL,
        key    text NOT NULL,
        entry  text NOT NULL,
        value  jsonb NOT NULL,
        PRIMARY KEY (saga, key, entry)
      )`);
  }

  /** Puts every split state back together first, so that going back loses nothing. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      UPDATE saga_states s SET state = s.state || jsonb_build_object(s.entries_field,
        (SELECT coalesce(jsonb_object_agg(e.entry, e.value), '{}'::jsonb) FROM saga_state_entries e
          WHERE e.saga = s.saga AND e.key = s.key))
       WHERE s.entries_field IS NOT NULL`);
    await queryRunner.query(`DROP TABLE saga_state_entries`);
    await queryRunner.query(`ALTER TABLE saga_states DROP COLUMN entries_field`);
  }
}
