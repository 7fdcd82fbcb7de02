import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Current state of each aggregate, written in the same transaction as its
 * events. No foreign keys between aggregates: a key check would lock the
 * referenced row, and a command must lock nothing outside its own aggregate.
 */
export class Aggregates1763700100000 implements MigrationInterface {
  name = 'Aggregates1763700100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE customers (
        id            text PRIMARY KEY,
        name          text NOT NULL,
        email         text NOT NULL,
        credit_limit  bigint NOT NULL CHECK (credit_limit >= 0),
        version       integer NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE coupons (
        id                   text PRIMARY KEY,
        code                 text NOT NULL,
        max_uses             integer NOT NULL CHECK (max_uses >= 0),
        discount             bigint NOT NULL CHECK (discount >= 1),
        allowed_overbooking  integer NOT NULL CHECK (allowed_overbooking >= 0),
        version              integer NOT NULL,
        created_at           timestamptz NOT NULL DEFAULT now(),
        updated_at           timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE orders (
        id               text PRIMARY KEY,
        customer_id      text NOT NULL,
        total            bigint NOT NULL CHECK (total >= 1),
        discount         bigint NOT NULL DEFAULT 0 CHECK (discount >= 0 AND discount <= total),
        coupon_id        text,
        coupon_discount  bigint,
        status           text NOT NULL CHECK (status IN ('open', 'on_hold', 'cancelled', 'completed')),
        version          integer NOT NULL,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now()
      )`);
    // Exposure = sum(total - discount) over a customer's open orders: an
    // index-only read whatever the number of closed orders.
    await queryRunner.query(`
      CREATE INDEX orders_open_by_customer ON orders (customer_id) INCLUDE (total, discount)
      WHERE status = 'open'`);
    await queryRunner.query(`
      CREATE INDEX orders_by_coupon ON orders (coupon_id)
      WHERE coupon_id IS NOT NULL AND status <> 'cancelled'`);
    await queryRunner.query(`CREATE INDEX orders_by_customer ON orders (customer_id, created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE orders`);
    await queryRunner.query(`DROP TABLE coupons`);
    await queryRunner.query(`DROP TABLE customers`);
  }
}
