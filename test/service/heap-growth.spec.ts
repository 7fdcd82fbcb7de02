import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../support/service-process';

const MODULE = resolve(projectRoot(), 'dist/src/config/heap-growth.js');

/**
 * The service's load in miniature: a kept set, and short-lived objects that
 * each outlive the young generation (as a command's objects do while it waits
 * on the database), so their garbage reaches the old generation. Reports the
 * old space's peak size; limitHeapGrowth runs first, as in main.ts.
 */
const CHURN = `
  const v8 = require('node:v8');
  const applied = require(${JSON.stringify(MODULE)}).limitHeapGrowth() ?? null;
  const oldSpace = () => v8.getHeapSpaceStatistics().find((space) => space.space_name === 'old_space').space_size;
  const kept = Array.from({ length: 400000 }, (_, i) => ({ i, s: 'kept-' + i }));
  const inFlight = [];
  let peak = 0;
  for (let round = 0; round < 6000; round++) {
    inFlight.push(Array.from({ length: 1000 }, (_, i) => ({ round, i })));
    if (inFlight.length > 400) inFlight.shift();
    peak = Math.max(peak, oldSpace());
  }
  console.log(JSON.stringify({ applied, peak, kept: kept.length }));
`;

async function churn(nodeFlags: string[]): Promise<{ applied: number | null; peak: number }> {
  const { stdout } = await promisify(execFile)(process.execPath, [...nodeFlags, '-e', CHURN]);
  return JSON.parse(stdout);
}

describe('the heap growth the production start sets (limitHeapGrowth in main.ts)', () => {
  let limited: { applied: number | null; peak: number };
  let operator: { applied: number | null; peak: number };

  beforeAll(async () => {
    if (!existsSync(MODULE)) throw new Error(`${MODULE} is missing: run npm run build first (npm test does)`);
    // 300 % is V8's own ceiling on a machine with memory to spare, where the bench and production run.
    [limited, operator] = await Promise.all([churn([]), churn(['--heap-growing-percent=300'])]);
  });

  it('keeps the garbage waiting in the old space well below what V8 lets it grow to on its own', () => {
    expect(limited.applied).toBe(50);
    expect(limited.peak).toBeLessThan(0.75 * operator.peak);
  });

  it("leaves an operator's node --heap-growing-percent in force", () => {
    expect(operator.applied).toBeNull();
  });
});
