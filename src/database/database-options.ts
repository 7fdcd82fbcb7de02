import { DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations';

/**
 * 10 s: a saga batch frozen inside its transaction holds every saga's read
 * horizon and its rows until then, and another instance must have its
 * partitions going again within 30 s (the lease is 10 s too).
 */
export const DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS = 10_000;

/** The one place the TypeORM connection is described, for the app, the CLI and the tests. */
export function databaseOptions(
  url: string,
  overrides: Partial<DataSourceOptions> = {},
  idleInTransactionTimeoutMs = DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS,
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    migrations,
    migrationsTableName: 'typeorm_migrations',
    // The schema lives only in migrations/.
    synchronize: false,
    migrationsRun: false,
    // Some migrations build indexes CONCURRENTLY, which cannot run inside a transaction: each migration
    // gets its own (or none, when it says so), for the service's start and the TypeORM CLI alike.
    migrationsTransactionMode: 'each',
    // A session of ours left idle in a transaction would hold back every
    // reader of the log on the server; the server ends it after this.
    extra: { max: 20, application_name: 'backstop', idle_in_transaction_session_timeout: idleInTransactionTimeoutMs },
    ...overrides,
  } as DataSourceOptions;
}
