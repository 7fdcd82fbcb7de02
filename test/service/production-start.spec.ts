import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../../src/testing/eventually';
import {
  freePort,
  groupAlive,
  portOpen,
  ServiceProcess,
  spawnService,
  waitForListening,
} from '../support/service-process';

/**
 * The production start documented in the README: `node dist/src/main.js`
 * exec'd by a supervisor (no npm in between), embedded PostgreSQL, its own
 * process group. On SIGTERM it must stop PostgreSQL itself, exit 0 and leave
 * nothing behind, whether the supervisor signals the service alone or the
 * whole group (systemd's default KillMode, `kill -- -PGID`, Ctrl-C on a terminal).
 */
describe('the production start (node dist/src/main.js under a supervisor)', () => {
  let home: string;
  let service: ServiceProcess | undefined;

  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'backstop-prod-'));
    await chmod(home, 0o755); // the embedded server runs as `postgres` when tests run as root
  });
  afterEach(async () => {
    // A failed check must not leave a service or PostgreSQL running.
    const pgid = service?.child.pid;
    if (pgid && groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
    service = undefined;
    await rm(home, { recursive: true, force: true });
  });

  async function startProduction() {
    const [httpPort, pgPort] = [await freePort(), await freePort()];
    service = spawnService(
      {
        NODE_ENV: 'production',
        ADMIN_TOKEN: 'a-production-admin-token',
        BACKSTOP_HOME: join(home, 'data'),
        PORT: String(httpPort),
        EMBEDDED_PG_PORT: String(pgPort),
      },
      home,
      { detached: true },
    );
    const url = await waitForListening(service);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const pidFile = join(home, 'data', 'pg', 'postmaster.pid');
    const postmaster = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
    // PostgreSQL is in the service's group: a supervisor that cleans up the group reaches it.
    expect(Number((await readFile(`/proc/${postmaster}/stat`, 'utf8')).split(') ')[1].split(' ')[2])).toBe(
      service.child.pid,
    );
    return { service, httpPort, pgPort, pidFile, pgid: service.child.pid! };
  }

  async function expectNothingLeft(started: Awaited<ReturnType<typeof startProduction>>) {
    // Polled so that a service hanging in its shutdown fails with its output rather than a test timeout.
    await eventually(
      () => {
        if (started.service.child.exitCode === null && started.service.child.signalCode === null) {
          throw new Error(`still running after the signal:\n${started.service.output()}`);
        }
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    const exit = await started.service.exited;
    expect({ exit, output: exit.code === 0 ? '' : started.service.output() }).toEqual({
      exit: { code: 0, signal: null },
      output: '',
    });
    expect(started.service.output()).toContain('Stopped');
    // PostgreSQL was stopped before the service exited: its lock file is gone.
    expect(existsSync(started.pidFile)).toBe(false);
    await eventually(() => expect(groupAlive(started.pgid)).toBe(false));
    expect(await portOpen(started.pgPort)).toBe(false);
    expect(await portOpen(started.httpPort)).toBe(false);
  }

  it('exits 0 on SIGTERM to the service, having stopped its PostgreSQL; the process group is empty', async () => {
    const started = await startProduction();
    started.service.child.kill('SIGTERM');
    await expectNothingLeft(started);
  }, 120_000);

  it('exits 0 on SIGTERM to the whole process group, as systemd sends it; the process group is empty', async () => {
    const started = await startProduction();
    process.kill(-started.pgid, 'SIGTERM');
    await expectNothingLeft(started);
  }, 120_000);

  it('exits 0 on SIGINT to the whole process group, as Ctrl-C on a terminal sends it', async () => {
    const started = await startProduction();
    process.kill(-started.pgid, 'SIGINT');
    await expectNothingLeft(started);
  }, 120_000);
});
