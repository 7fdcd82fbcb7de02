import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { projectRoot } from '../support/service-process';

const DEMO = resolve(projectRoot(), 'dist-tools/demo/demo.js');

describe('npm run demo', () => {
  it('exits 0 and names the held orders and the alert mail files', async () => {
    const home = await mkdtemp(join(tmpdir(), 'backstop-demo-'));
    await chmod(home, 0o755);
    try {
      const { code, output } = await new Promise<{ code: number | null; output: string }>((done) => {
        const child = spawn(process.execPath, [DEMO], {
          env: { ...process.env, BACKSTOP_HOME: home },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let text = '';
        child.stdout.on('data', (chunk) => (text += chunk));
        child.stderr.on('data', (chunk) => (text += chunk));
        child.on('exit', (exitCode) => done({ code: exitCode, output: text }));
      });
      expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('Demo done.') });
      expect(output).toMatch(/held orders (ada-\d-o\d+)(, ada-\d-o\d+)*\./);
      expect(output).toMatch(/mail\/[0-9a-f-]{36}\.opened@backstop\.eml/);
      expect(output).toMatch(/mail\/[0-9a-f-]{36}\.resolved@backstop\.eml/);
      expect(output).toContain('Accepted: 10 of 40, exactly up to the limit; violations: 0; no mail.');
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  }, 180_000);
});
