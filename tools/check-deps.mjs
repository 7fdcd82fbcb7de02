// `npm run deps`: the dependency rules of .dependency-cruiser.cjs over src/, failing on NEW violations only.
//
// Known violations live in .dependency-cruiser-known-violations.json (`npm run deps:baseline` rewrites it).
// `depcruise --ignore-known` ignores the known module and dependency violations, but dependency-cruiser 17 does
// not apply the baseline to rules with `scope: 'folder'` (our folder-level no-circular). This script runs
// depcruise with --ignore-known and then drops the known folder violations itself, matching them the way
// dependency-cruiser matches known violations (rule name + cycle members, or rule name + from + to).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const baselineFile = '.dependency-cruiser-known-violations.json';
const depcruise = join(root, 'node_modules', '.bin', 'depcruise');

const run = spawnSync(
  depcruise,
  ['src', '--config', '.dependency-cruiser.cjs', '--ignore-known', baselineFile, '--output-type', 'json'],
  { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
);
let result;
try {
  result = JSON.parse(run.stdout);
} catch {
  process.stderr.write(run.stderr || run.error?.message || 'depcruise printed no result\n');
  process.exit(run.status || 2);
}

const known = JSON.parse(readFileSync(join(root, baselineFile), 'utf8'));
const names = (cycle) => (cycle ?? []).map((step) => step.name);
const same = (a, b) => {
  if (a.rule.name !== b.rule.name) return false;
  if (a.cycle && b.cycle) {
    const members = names(b.cycle);
    return a.cycle.length === b.cycle.length && names(a.cycle).every((name) => members.includes(name));
  }
  return a.from === b.from && a.to === b.to;
};

const all = result.summary.violations;
const fresh = all.filter((v) => v.rule.severity !== 'ignore' && !known.some((k) => same(k, v)));
const gone = known.filter((k) => !all.some((v) => same(k, v)));

const describe = (v) => (v.cycle ? `${v.from} -> ${names(v.cycle).join(' -> ')}` : `${v.from} -> ${v.to}`);
for (const v of fresh) console.log(`  ${v.rule.severity} ${v.rule.name}: ${describe(v)}`);

const counts = {};
for (const k of known.filter((k) => !gone.includes(k))) counts[k.rule.name] = (counts[k.rule.name] ?? 0) + 1;
const { totalCruised, totalDependenciesCruised } = result.summary;
const cruised = `${totalCruised} modules, ${totalDependenciesCruised} dependencies cruised`;
console.log(
  `${fresh.length} new dependency violation(s); ${known.length - gone.length} known one(s) ignored ` +
    `(${Object.entries(counts)
      .map(([rule, n]) => `${rule} ${n}`)
      .join(', ')}; listed in ${baselineFile}). ${cruised}.`,
);
if (gone.length > 0) {
  console.log(`${gone.length} known violation(s) no longer occur: run \`npm run deps:baseline\` to drop them.`);
}
const failing = fresh.filter((v) => v.rule.severity === 'error');
process.exit(failing.length > 0 ? 1 : 0);
