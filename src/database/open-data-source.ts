import { Logger } from '@nestjs/common';
import { DataSource, DataSourceOptions } from 'typeorm';

type PgClient = { on(event: 'error', listener: (error: Error) => void): void };
type PgPool = { on(event: 'connect', listener: (client: PgClient) => void): void; _clients?: PgClient[] };

/**
 * Initializes a DataSource whose pooled connections can be killed by the
 * server (restart, failover, DROP DATABASE ... FORCE) without crashing the
 * process. TypeORM handles the first error of a connection and detaches;
 * pg may then report a second one (the socket closing) to no listener,
 * which Node turns into an uncaught exception.
 */
export async function openDataSource(options: DataSourceOptions): Promise<DataSource> {
  const logger = new Logger('Database');
  const dataSource = await new DataSource(options).initialize();
  const pool = (dataSource.driver as unknown as { master?: PgPool }).master;
  const guard = (client: PgClient) =>
    client.on('error', (error) => logger.debug(`connection closed: ${error.message}`));
  pool?.on('connect', guard);
  pool?._clients?.forEach(guard);
  return dataSource;
}
