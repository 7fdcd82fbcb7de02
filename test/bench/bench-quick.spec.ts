import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { projectRoot } from '../support/service-process';

const RUN = resolve(projectRoot(), 'dist-tools/bench/run.js');

describe('npm run bench -- --quick', () => {
  it('runs every scenario end to end and writes figures for each', async () => {
    const out = await mkdtemp(join(tmpdir(), 'backstop-bench-out-'));
    try {
      const { code, output } = await new Promise<{ code: number | null; output: string }>((done) => {
        // The suite's own server: TEST_DATABASE_URL or the one the harness started.
        const env = { ...process.env, DATABASE_URL: process.env.BACKSTOP_TEST_ADMIN_URL };
        const child = spawn(process.execPath, [RUN, '--quick', '--out', out], {
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let text = '';
        child.stdout.on('data', (chunk) => (text += chunk));
        child.stderr.on('data', (chunk) => (text += chunk));
        child.on('exit', (exitCode) => done({ code: exitCode, output: text }));
      });
      expect({ code, tail: output.slice(-4000) }).toEqual({
        code: 0,
        tail: expect.stringContaining('| 7. Peak RSS during 1-2 |'),
      });
      // The summary: every figure with a target, measured in this run, and whether it was met.
      const summary = output.slice(output.indexOf('Summary:'));
      const verdicts = [...summary.matchAll(/^\| (.+?) \| .+? \| [<>]= .+? \| (yes|no) \|$/gm)].map((row) => row[1]);
      expect(verdicts).toEqual([
        'spread CreateOrder over HTTP (react) / raw insert ceiling',
        'hot key react / prevent, database 1 ms away',
        'detection p99 at 200 commands/s, open loop',
        'event-log append alone / raw insert ceiling',
        'catch-up events/s',
        'peak RSS under load',
        'CreateOrder cost with 10,000 prior orders / with 10',
      ]);
      const report = JSON.parse(await readFile(join(out, 'latest-quick.json'), 'utf8'));
      for (const [name, value] of Object.entries(report.figures)) {
        if (typeof value === 'number')
          expect({ name, finite: Number.isFinite(value) && value > 0 }).toEqual({ name, finite: true });
      }
      expect(report.detection.detected).toBe(report.detection.breaches);
      expect(report.catchUp.events).toBeGreaterThan(0);
      // The proxy in front of the database adds its delay, both ways, to every round trip.
      for (const run of report.remote) expect(run.ping.proxiedMs).toBeGreaterThanOrEqual(1);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 240_000);
});
