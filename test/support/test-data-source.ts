import { DataSource } from 'typeorm';
import { databaseOptions } from '../../src/database/database-options';
import { openDataSource as open } from '../../src/database/open-data-source';

export async function openDataSource(url: string, poolSize = 30): Promise<DataSource> {
  return open(databaseOptions(url, { extra: { max: poolSize } }));
}
