import { MigrationInterface, QueryRunner } from 'typeorm';

/** Live runtime instances, so that saga partitions can be shared out fairly among them. */
export class SagaInstances1763700300000 implements MigrationInterface {
  name = 'SagaInstances1763700300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE saga_instances (
        instance_id   text PRIMARY KEY,
        heartbeat_at  timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE saga_instances`);
  }
}
