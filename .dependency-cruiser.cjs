// Dependency rules for src/ (plan 11, section (f)). Run with `npm run deps`.
//
// Today's code breaks several of these rules; those violations are recorded in
// .dependency-cruiser-known-violations.json and ignored (`--ignore-known`), so the check fails on any NEW
// violation only. Each refactoring phase that removes one regenerates the baseline:
//   npx depcruise src --config .dependency-cruiser.cjs --output-type baseline \
//     --output-to .dependency-cruiser-known-violations.json
//
// Layers, bottom to top: a folder may import only its own layer or lower ones. The list is the TARGET layout;
// phase 1 created its folders (config/backstop.options, telemetry, aggregates, commands, outbox, saga-api,
// violations); phase 3 split invariants/ into the API (src/invariants/*.ts, L6) and one folder per invariant
// (src/invariants/<name>/, L8). Folders the plan does not name are placed by what they import: retention/ (a
// worker like mail/) in L4, ops/ (a CLI entry point like audit/) in L10.
const layers = [
  ['shared', 'config'], // L0
  ['telemetry', 'database'], // L1
  ['event-log'], // L2
  ['aggregates', 'commands', 'http', 'outbox', 'saga-api'], // L3
  ['mail', 'violations', 'retention'], // L4
  ['sagas'], // L5
  ['invariants-api'], // L6: src/invariants/*.ts
  ['customers', 'orders', 'coupons'], // L7
  ['invariants-impl'], // L8: src/invariants/<name>/
  ['metrics', 'health', 'dashboard', 'testing'], // L9
  ['root', 'audit', 'ops'], // L10: src/*.ts (backstop.module, app.module, main)
];

const folder = (layer) => {
  if (layer === 'invariants-api') return '^src/invariants/[^/]+\\.ts$';
  if (layer === 'invariants-impl') return '^src/invariants/[^/]+/';
  if (layer === 'root') return '^src/[^/]+\\.ts$';
  return `^src/${layer}/`;
};

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'No import cycles between folders of src/ (e.g. src/sagas <-> src/invariants). scope: folder compares ' +
        'folders, so a cycle through files of two folders counts even when no single file is on a module cycle.',
      scope: 'folder',
      from: { path: '^src/' },
      to: { path: '^src/', circular: true },
    },
    {
      name: 'no-circular-modules',
      severity: 'error',
      comment: 'No import cycles between modules either (a file cycle inside one folder is still a cycle).',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...layers.slice(0, -1).flatMap((group, i) =>
      group.map((layer) => ({
        name: `layer-${layer}`,
        severity: 'error',
        comment: `${layer} (L${i}) may import only its own layer or lower ones (plan 11 (b))`,
        from: { path: folder(layer) },
        to: {
          path: layers
            .slice(i + 1)
            .flat()
            .map(folder),
        },
      })),
    ),
    {
      name: 'no-sibling-invariants',
      severity: 'error',
      comment: 'An invariant folder (src/invariants/<name>/) must not import another one.',
      from: { path: '^src/invariants/([^/]+)/' },
      to: { path: '^src/invariants/[^/]+/', pathNot: '^src/invariants/$1/' },
    },
    {
      name: 'domain-not-sideways',
      severity: 'error',
      comment:
        'customers, orders and coupons do not import each other; they declare ports that invariant folders ' +
        'implement (plan 11 (a), cycle breakers).',
      from: { path: '^src/(customers|orders|coupons)/' },
      to: { path: '^src/(customers|orders|coupons)/', pathNot: '^src/$1/' },
    },
    {
      name: 'pure-api',
      severity: 'error',
      comment:
        'Saga/invariant types, episode logic and the testing helpers stay framework-free (no Nest, no typeorm, ' +
        'no saga runtime or mail), so specs and derived sagas run without an app.',
      from: {
        path: [
          '^src/saga-api/saga\\.types',
          '^src/invariants/(define-invariant|invariant-saga)',
          '^src/violations/(episode|alert-mail)',
          '^src/testing/',
        ],
      },
      to: { path: ['@nestjs', 'typeorm', '^src/(sagas|mail)/'] },
    },
    {
      name: 'not-to-test',
      severity: 'error',
      comment: 'src/ must not import from test/ (test fixtures and support code are not shipped).',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
    {
      name: 'not-to-dev-dep',
      severity: 'error',
      comment:
        'src/ must not import devDependencies: they are not installed in production. Type-only imports of ' +
        '@types/* packages are fine (erased at compile time), and so are peerDependencies (@nestjs/core, typeorm, ' +
        '...): listed in devDependencies for this repository, they are installed by the host app of the package.',
      from: { path: '^src/', pathNot: '\\.spec\\.ts$' },
      to: {
        dependencyTypes: ['npm-dev'],
        dependencyTypesNot: ['type-only', 'npm-peer'],
        pathNot: 'node_modules/@types/',
      },
    },
    {
      name: 'no-non-package-json',
      severity: 'error',
      comment: 'Every npm package src/ imports must be declared in package.json.',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'Every import must resolve.',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
    {
      name: 'no-orphans',
      severity: 'ignore',
      comment: 'Off: entry points (main.ts, audit.main.ts, ops/*.main.ts, data-source.ts) are orphans by design.',
      from: { orphan: true },
      to: {},
    },
  ],
  options: {
    // Specs may import testing/ and test/support; they are not part of the layering.
    exclude: { path: '\\.spec\\.ts$' },
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    // Count `import type` too: a type dependency between folders is still a dependency.
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
