import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what survived the last full
 * collection before it collects again: 50 % instead of V8's own choice, up to
 * 300 % on a machine with memory to spare. Under load most of what reaches the
 * old generation is short-lived (a command's objects outlive two scavenges
 * while it waits on the database), so that slack was garbage: about 40 MB live
 * and 277 MB peak RSS under the bench's 64 connections. The price is more
 * frequent full collections, which V8 marks mostly off the main thread.
 */
export const HEAP_GROWING_PERCENT = 50;

const OPERATOR_FLAG = /^--heap[-_]growing[-_]percent(=|$)/;

/**
 * For the standalone service only (a host app tunes its own process). An
 * operator's `node --heap-growing-percent=N dist/src/main.js` wins; V8 refuses
 * the flag in NODE_OPTIONS. Returns the percent set here, or undefined when the
 * operator's stands.
 */
export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv): number | undefined {
  if (execArgv.some((arg) => OPERATOR_FLAG.test(arg))) return undefined;
  // V8 reads the flag each time it sets the next collection's limit, so setting it after start takes effect.
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return HEAP_GROWING_PERCENT;
}
