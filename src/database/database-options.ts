import { DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations';

/** The one place the TypeORM connection is described, for the app, the CLI and the tests. */
export function databaseOptions(url: string, overrides: Partial<DataSourceOptions> = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    migrations,
    migrationsTableName: 'typeorm_migrations',
    // The schema lives only in migrations/.
    synchronize: false,
    migrationsRun: false,
    extra: { max: 20, application_name: 'backstop' },
    ...overrides,
  } as DataSourceOptions;
}
