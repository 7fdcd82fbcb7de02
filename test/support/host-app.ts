import { spawn, spawnSync, SpawnSyncReturns } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot, ServiceProcess } from './service-process';

const root = projectRoot();
const PACKAGE = 'nest-backstop';
export const HOST_APP = join(root, 'examples', 'host-app');

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return result;
}

function check(result: SpawnSyncReturns<string>, what: string): string {
  if (result.status !== 0) throw new Error(`${what} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

export interface InstalledHostApp {
  dir: string;
  /** The tarball's file name, as `npm pack` wrote it. */
  tarball: string;
}

/**
 * examples/host-app copied to a temporary folder, with nest-backstop
 * installed from the packed tarball: what `npm install` of the tarball lays
 * out, without a registry. The tarball is unpacked under
 * node_modules/nest-backstop; its dependencies and peers (installed here
 * already) are linked next to it. Packed with --ignore-scripts: dist/ is
 * already built (`npm test`'s pretest), and a rebuild would pull it from
 * under other test files. Then compiled with tsc.
 */
export function installHostApp(): InstalledHostApp {
  const dir = mkdtempSync(join(tmpdir(), 'backstop-host-app-'));
  const [{ filename }] = JSON.parse(
    check(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], root), 'npm pack'),
  ) as { filename: string }[];
  const app = join(dir, 'host-app');
  cpSync(HOST_APP, app, {
    recursive: true,
    filter: (source) => !/[\\/](node_modules|dist)$/.test(source),
  });
  const modules = join(app, 'node_modules');
  mkdirSync(join(modules, PACKAGE), { recursive: true });
  check(run('tar', ['-xzf', join(dir, filename), '-C', join(modules, PACKAGE), '--strip-components=1'], root), 'tar');
  for (const name of readdirSync(join(root, 'node_modules'))) {
    if (name.startsWith('.') || name === PACKAGE) continue;
    symlinkSync(join(root, 'node_modules', name), join(modules, name), 'dir');
  }
  check(run(join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], app), 'tsc of the host app');
  return { dir: app, tarball: filename };
}

/** The dependency the example's package.json declares, e.g. file:../../nest-backstop-0.2.0.tgz. */
export function declaredDependency(): string {
  return (JSON.parse(readFileSync(join(HOST_APP, 'package.json'), 'utf8')) as { dependencies: Record<string, string> })
    .dependencies[PACKAGE];
}

/** A clean environment for the host app's processes: none of this run's database or invariant settings. */
function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const clean = { ...process.env };
  for (const name of Object.keys(clean)) {
    if (/^(DATABASE_URL|TEST_DATABASE_URL|PORT|SMTP_|SEAT_CAPACITY_|CREDIT_LIMIT_|COUPON_USAGE_)/.test(name)) {
      delete clean[name];
    }
  }
  return { ...clean, NO_COLOR: '1', ...env };
}

/** Starts the compiled host app (`npm start`: node dist/src/main.js) as a child process. */
export function startHostApp(dir: string, env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, ['dist/src/main.js'], { cwd: dir, env: cleanEnv(env), stdio: 'pipe' });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal })),
  );
  return { child, output: () => output, exited };
}

/** The host app's `npm run audit` (node dist/src/audit.js). */
export function runHostAudit(dir: string, env: Record<string, string>): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, ['dist/src/audit.js'], { cwd: dir, env: cleanEnv(env), encoding: 'utf8' });
  if (result.error) throw result.error;
  return { status: result.status, output: result.stdout + result.stderr };
}
