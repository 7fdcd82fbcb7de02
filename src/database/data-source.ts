import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { databaseOptions } from './database-options';

/** DataSource for the TypeORM CLI (`npm run migration:run` and friends). */
const url = process.env.DATABASE_URL;
if (!url) {
  throw new Error('DATABASE_URL must be set to run TypeORM migrations from the command line');
}
export default new DataSource(databaseOptions(url));
