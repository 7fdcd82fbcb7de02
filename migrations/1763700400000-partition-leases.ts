import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Saga partition ownership as leases instead of session advisory locks: a
 * lease expires on the database's clock even when its holder is frozen with
 * its session open, and its epoch fences the holder's checkpoint commits.
 * owner_pid is the backend of the owner's lease connection, so a lease whose
 * owner crashed (session gone) is free before it expires.
 */
export class PartitionLeases1763700400000 implements MigrationInterface {
  name = 'PartitionLeases1763700400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE saga_partitions
        ADD COLUMN lease_expires_at timestamptz,
        ADD COLUMN lease_epoch bigint NOT NULL DEFAULT 0,
        ADD COLUMN owner_pid integer`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE saga_partitions DROP COLUMN lease_expires_at, DROP COLUMN lease_epoch, DROP COLUMN owner_pid`);
  }
}
