import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrations } from '../../migrations';

/**
 * The npm package: what the tarball holds, and that a TypeScript consumer can
 * import the entry points by name. Works on the compiled dist/ (`npm test`
 * builds it first); the packs run with --ignore-scripts so that `prepack` does
 * not rebuild dist/ under the feet of other test files running at the same time.
 * No database and no network: the consumer's node_modules are links into this
 * project's.
 */
const root = join(__dirname, '..', '..');
const PACKAGE = 'nest-backstop';

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return result;
}

interface Pack {
  name: string;
  filename: string;
  files: { path: string }[];
}

function npmPack(extra: string[]): Pack {
  const result = run('npm', ['pack', '--json', '--ignore-scripts', ...extra], root);
  if (result.status !== 0) throw new Error(`npm pack failed (${result.status}):\n${result.stderr}`);
  return (JSON.parse(result.stdout) as Pack[])[0];
}

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'src', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` first');
});

describe('the npm package', () => {
  it('holds the compiled entry points, their declarations and the migrations, and nothing of the tests', () => {
    const pack = npmPack(['--dry-run']);
    expect(pack.name).toBe(PACKAGE);
    const files = pack.files.map((file) => file.path);

    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'LICENSE',
        '.env.example',
        'dist/src/index.js',
        'dist/src/index.d.ts',
        'dist/src/testing/index.js',
        'dist/src/testing/index.d.ts',
        'dist/src/main.js',
        'dist/migrations/index.js',
        'dist/migrations/index.d.ts',
      ]),
    );
    expect(files.filter((file) => /^dist\/migrations\/\d+-.+\.js$/.test(file)).length).toBeGreaterThanOrEqual(8);
    const unwanted = files.filter(
      (file) =>
        /^(test|bench|demo|docs|tools|examples|dist-tools|\.ci|src|migrations|node_modules)\//.test(file) ||
        /\.spec\./.test(file) ||
        /\.map$/.test(file) ||
        /(^|\/)\.env$/.test(file),
    );
    expect(unwanted).toEqual([]);
  });

  describe('installed into another project', () => {
    let consumer: string;

    beforeAll(() => {
      consumer = mkdtempSync(join(tmpdir(), 'nest-backstop-consumer-'));
      const { filename } = npmPack(['--pack-destination', consumer]);

      // What `npm install ./nest-backstop-<v>.tgz` lays out, without a registry: the package unpacked under
      // node_modules/nest-backstop, its dependencies and peers (already installed here) linked next to it.
      const modules = join(consumer, 'node_modules');
      mkdirSync(join(modules, PACKAGE), { recursive: true });
      const untar = run(
        'tar',
        ['-xzf', join(consumer, filename), '-C', join(modules, PACKAGE), '--strip-components=1'],
        root,
      );
      if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr}`);
      for (const name of readdirSync(join(root, 'node_modules'))) {
        if (name.startsWith('.') || name === PACKAGE) continue;
        symlinkSync(join(root, 'node_modules', name), join(modules, name), 'dir');
      }

      writeFileSync(
        join(consumer, 'package.json'),
        JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, dependencies: { [PACKAGE]: '*' } }),
      );
      writeFileSync(
        join(consumer, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            module: 'nodenext',
            moduleResolution: 'nodenext',
            target: 'ES2023',
            strict: true,
            noEmit: true,
            experimentalDecorators: true,
            emitDecoratorMetadata: true,
            types: ['node'],
            // The package's own declarations are checked too (an unresolved import inside them is an error);
            // only those of its dependencies are skipped.
            skipLibCheck: false,
            skipDefaultLibCheck: true,
          },
          files: ['consumer.ts'],
        }),
      );
      writeFileSync(join(consumer, 'consumer.ts'), CONSUMER);
    });
    afterAll(() => {
      if (consumer) rmSync(consumer, { recursive: true, force: true });
    });

    it('type-checks a Nest app that imports nest-backstop and nest-backstop/testing', () => {
      const tsc = run(join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], consumer);
      expect(tsc.stdout + tsc.stderr).toBe('');
      expect(tsc.status).toBe(0);
    });

    it('loads both entry points at run time', () => {
      const node = run(
        process.execPath,
        [
          '-e',
          `const b = require('${PACKAGE}'); const t = require('${PACKAGE}/testing');
           console.log([typeof b.BackstopModule.forRoot, typeof b.Saga, typeof b.CommandRegistry, b.migrations.length,
             typeof t.givenSaga, typeof t.sagaEvent, typeof t.eventually, typeof t.given].join(' '))`,
        ],
        consumer,
      );
      expect(node.stderr).not.toMatch(/Error/);
      expect(node.stdout.trim()).toBe(
        `function function function ${migrations.length} function function function function`,
      );
    });
  });
});

const CONSUMER = `
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import {
  BACKSTOP_OPTIONS,
  BackstopModule,
  BackstopOptions,
  CommandRegistry,
  ConcurrencyConflictError,
  DomainError,
  EventLogService,
  NewEvent,
  RecordedEvent,
  Saga,
  SagaDefinition,
  SagaEvent,
  SagaMessage,
  SagaOutput,
  StreamRef,
  configureApp,
  episodeOutputs,
  isEcho,
  migrations,
} from 'nest-backstop';
import { eventually, givenSaga, sagaEvent } from 'nest-backstop/testing';

interface State {
  open: number;
}

@Saga({ name: 'two-open', events: ['OrderCreated'], key: 'customerId' })
class TwoOpenSaga implements SagaDefinition<State> {
  initialState(): State {
    return { open: 0 };
  }
  evolve(state: State, message: SagaMessage): State {
    return isEcho(message) ? state : { open: state.open + 1 };
  }
  decide(state: State, event: SagaEvent): SagaOutput[] {
    return state.open > 2 ? [{ kind: 'command', type: 'HoldOrder', payload: { orderId: event.payload.orderId } }] : [];
  }
}

const options: BackstopOptions = { databaseUrl: 'postgres://localhost/app', runtime: { enabled: false } };

@Module({ imports: [BackstopModule.forRoot(options)], providers: [TwoOpenSaga] })
export class AppModule {}

export const typed: {
  token: symbol;
  append: EventLogService['append'];
  readStream: EventLogService['readStream'];
  registry: CommandRegistry['register'];
  conflict: ConcurrencyConflictError;
  refused: DomainError;
  event: NewEvent;
  recorded?: RecordedEvent;
  stream: StreamRef;
  setup: typeof configureApp;
  episode: typeof episodeOutputs;
  migrationCount: number;
} = {
  token: BACKSTOP_OPTIONS,
  append: null!,
  readStream: null!,
  registry: null!,
  conflict: new ConcurrencyConflictError('order-1', 1),
  refused: new DomainError('NOT_FOUND', 'no such order'),
  event: { type: 'OrderCreated', payload: { orderId: 'o-1' } },
  stream: { type: 'Order', id: 'o-1' },
  setup: configureApp,
  episode: episodeOutputs,
  migrationCount: migrations.length,
};

// The declarations are real types, not any: these lines must be refused.
// @ts-expect-error databaseUrl is required
BackstopModule.forRoot({});
// @ts-expect-error a saga output has a kind
export const wrong: SagaOutput = { type: 'HoldOrder' };

const saga = new TwoOpenSaga();
export const state: State = givenSaga(saga, 'c-1', sagaEvent('OrderCreated', { orderId: 'o-1', customerId: 'c-1' }))
  .when(sagaEvent('OrderCreated', { orderId: 'o-2', customerId: 'c-1' }))
  .thenNothingHappened();
export const later: Promise<number> = eventually(() => 1, { timeoutMs: 10 });
`;
