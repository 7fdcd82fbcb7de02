import { DataSource } from 'typeorm';
import { databaseOptions } from '../../src/database/database-options';

export async function openDataSource(url: string, poolSize = 30): Promise<DataSource> {
  return new DataSource(databaseOptions(url, { extra: { max: poolSize } })).initialize();
}
