import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The partition count of each saga, stored: a key's partition is a hash
 * modulo this count, so every instance must use the same one, and it may
 * only change through `npm run sagas:repartition`. A saga that already has
 * partitions keeps the count its rows were made with.
 */
export class SagaPartitionCounts1763700600000 implements MigrationInterface {
  name = 'SagaPartitionCounts1763700600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE saga_partition_counts (
        saga        text PRIMARY KEY,
        partitions  integer NOT NULL CHECK (partitions BETWEEN 1 AND 1024),
        changed_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      INSERT INTO saga_partition_counts (saga, partitions)
      SELECT saga, max(partition) + 1 FROM saga_partitions GROUP BY saga`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE saga_partition_counts`);
  }
}
