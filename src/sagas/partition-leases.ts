import { Logger } from '@nestjs/common';
import { Client } from 'pg';

/**
 * Ownership of saga partitions across instances: a session-level advisory
 * lock per partition, all held on one dedicated connection. When an
 * instance dies its connection closes and PostgreSQL releases the locks, so
 * another instance takes the partitions on its next round.
 */
export class PartitionLeases {
  private readonly logger = new Logger('PartitionLeases');
  private client?: Client;
  private held = new Set<string>();

  constructor(
    private readonly connectionString: string,
    private readonly onLost: () => void,
  ) {}

  isHeld(saga: string, partition: number): boolean {
    return this.held.has(`${saga}/${partition}`);
  }

  heldPartitions(saga: string): number[] {
    return [...this.held].filter((id) => id.startsWith(`${saga}/`)).map((id) => Number(id.split('/').pop()));
  }

  async tryAcquire(saga: string, partition: number): Promise<boolean> {
    const client = await this.connection();
    const { rows } = await client.query<{ ok: boolean }>(
      `SELECT pg_try_advisory_lock(hashtext('backstop:saga:' || $1), $2) AS ok`,
      [saga, partition],
    );
    if (rows[0].ok) this.held.add(`${saga}/${partition}`);
    return rows[0].ok;
  }

  /** Gives a partition back, for another instance to take. */
  async release(saga: string, partition: number): Promise<void> {
    if (!this.held.delete(`${saga}/${partition}`) || !this.client) return;
    await this.client
      .query(`SELECT pg_advisory_unlock(hashtext('backstop:saga:' || $1), $2)`, [saga, partition])
      .catch((error: Error) => this.logger.warn(`cannot release ${saga}/${partition}: ${error.message}`));
  }

  private async connection(): Promise<Client> {
    if (this.client) return this.client;
    const client = new Client({ connectionString: this.connectionString, application_name: 'backstop-leases' });
    const lost = (error?: Error) => {
      if (this.client !== client) return;
      this.logger.warn(`lease connection lost (${error?.message ?? 'closed'}): giving up ${this.held.size} partition(s)`);
      this.client = undefined;
      this.held.clear();
      this.onLost();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    await client.connect();
    this.client = client;
    return client;
  }

  async releaseAll(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.held.clear();
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
    }
  }
}
