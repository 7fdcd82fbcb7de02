import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../../src/testing/eventually';
import { freePort, spawnService, waitForListening } from '../support/service-process';

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the built service as a process', () => {
  let home: string;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'backstop-e2e-'));
    await chmod(home, 0o755); // the embedded server runs as `postgres` when tests run as root
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it(
    'starts an embedded PostgreSQL without DATABASE_URL, answers ' +
      '/health, stops cleanly on SIGTERM and reuses its data',
    async () => {
      const pgPort = await freePort();
      const env = { PORT: '0', EMBEDDED_PG_PORT: String(pgPort) };

      const first = spawnService(env, home);
      const url = await waitForListening(first);
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
      expect(first.output()).toContain('Initialising embedded PostgreSQL');

      const pidFile = join(home, '.backstop', 'pg', 'postmaster.pid');
      const postmaster = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
      expect(isAlive(postmaster)).toBe(true);

      first.child.kill('SIGTERM');
      expect(await first.exited).toEqual({ code: 0, signal: null });
      expect(isAlive(postmaster)).toBe(false);
      expect(existsSync(pidFile)).toBe(false);

      const second = spawnService(env, home);
      const secondUrl = await waitForListening(second);
      expect((await fetch(`${secondUrl}/health`)).status).toBe(200);
      expect(second.output()).not.toContain('Initialising embedded PostgreSQL');
      second.child.kill('SIGINT');
      expect((await second.exited).code).toBe(0);
      await eventually(() => expect(existsSync(pidFile)).toBe(false));
    },
    120_000,
  );

  it.each([
    ['PORT', { PORT: 'abc' }],
    ['PORT', { PORT: '70000' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://nope' }],
    ['CREDIT_LIMIT_STRATEGY', { CREDIT_LIMIT_STRATEGY: 'sometimes' }],
    ['CREDIT_LIMIT_TOLERANCE', { CREDIT_LIMIT_TOLERANCE: '-5' }],
    ['COUPON_USAGE_REACTIONS', { COUPON_USAGE_REACTIONS: 'alert,shout' }],
  ])('refuses to start when %s is invalid, naming it', async (name, env) => {
    const service = spawnService(env, home);
    const { code } = await service.exited;
    expect(code).not.toBe(0);
    expect(service.output()).toContain(name);
    expect(service.output()).toContain('Invalid configuration');
  });
});
