import { Logger } from '@nestjs/common';
import { Client } from 'pg';

/**
 * The one connection partition leases are taken and renewed on (its backend
 * pid is the owner_pid others look for). A query that fails, or does not
 * answer within `timeoutMs`, ends it and the next query opens another: a
 * renewal that hangs must not hold up the claim loop, and the leases stay
 * trusted until their local expiry meanwhile.
 */
export class LeaseConnection {
  private readonly logger = new Logger('PartitionLeases');
  private client?: Client;

  constructor(
    private readonly connectionString: string,
    private readonly timeoutMs: number,
  ) {}

  async query<T extends object>(text: string, values: unknown[]): Promise<{ rows: T[] }> {
    const client = await this.connection();
    try {
      return await client.query<T & Record<string, unknown>>(text, values);
    } catch (error) {
      if (this.client === client) this.close();
      throw error;
    }
  }

  close(): void {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    client.removeAllListeners('end');
    client.on('error', () => undefined);
    // Not awaited: end() waits for the server's goodbye, which may never come through a cut network.
    void client.end().catch(() => undefined);
  }

  private async connection(): Promise<Client> {
    if (this.client) return this.client;
    const client = new Client({
      connectionString: this.connectionString,
      application_name: 'backstop-leases',
      query_timeout: this.timeoutMs,
      connectionTimeoutMillis: this.timeoutMs,
      keepAlive: true,
    });
    const lost = (error?: Error) => {
      if (this.client !== client) return;
      this.logger.warn(`lease connection lost (${error?.message ?? 'closed'})`);
      this.close();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.connect();
    } catch (error) {
      void client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    return client;
  }
}
