import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Environment, validateEnvironment } from '../config/environment';
import { startEmbeddedPostgres } from './embedded-postgres';

export interface CommandLineDatabase {
  env: Environment;
  url: string;
  /** Stops the embedded server if this command started it. */
  stop(): Promise<void>;
}

/**
 * The service's database as a command-line tool (audit, repartition) finds
 * it: `.env` and the environment, DATABASE_URL, or else the embedded server
 * under BACKSTOP_HOME (reused when the service is running).
 */
export async function commandLineDatabase(): Promise<CommandLineDatabase> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const env = validateEnvironment(process.env);
  if (env.DATABASE_URL) return { env, url: env.DATABASE_URL, stop: async () => undefined };
  const quiet = { log: () => undefined, warn: () => undefined, error: (message: string) => console.error(message) };
  const embedded = await startEmbeddedPostgres({
    dataDir: join(env.BACKSTOP_HOME, 'pg'),
    port: env.EMBEDDED_PG_PORT,
    logger: quiet,
  });
  return { env, url: embedded.url, stop: () => embedded.stop() };
}
