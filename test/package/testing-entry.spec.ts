import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `nest-backstop/testing` is for a host's plain jest specs: loading it (givenInvariant and the derived saga
 * included) must not load Nest, TypeORM or the environment validation. Works on the compiled dist/.
 */
const ENTRY = join(__dirname, '..', '..', 'dist', 'src', 'testing', 'index.js');

it('loads givenInvariant without Nest, TypeORM or class-validator', () => {
  if (!existsSync(ENTRY)) throw new Error('dist/ is missing: run `npm run build` first');
  const script = `
    const testing = require(${JSON.stringify(ENTRY)});
    const heavy = Object.keys(require.cache).filter((file) =>
      /node_modules[\\\\/](@nestjs|typeorm|class-validator|class-transformer)[\\\\/]/.test(file));
    console.log(JSON.stringify({ helpers: Object.keys(testing).sort(), heavy }));`;
  const node = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  expect(node.stderr).toBe('');
  expect(JSON.parse(node.stdout)).toEqual({
    helpers: ['eventually', 'given', 'givenInvariant', 'givenSaga', 'sagaEvent'],
    heavy: [],
  });
});
