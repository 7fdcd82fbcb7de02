/** Command line: `--quick`, `--out DIR`, `--only a,b` (scenario names below), `--indexes` (the index study). */
export const SCENARIOS = ['throughput', 'remote', 'detection', 'catch-up', 'history', 'append'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export function benchArgs(argv: string[]) {
  const value = (flag: string) => {
    const index = argv.indexOf(flag);
    return index > 0 ? argv[index + 1] : undefined;
  };
  const only = value('--only')?.split(',') as Scenario[] | undefined;
  const unknown = only?.filter((name) => !SCENARIOS.includes(name));
  if (unknown?.length) throw new Error(`unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.join(', ')}`);
  return {
    quick: argv.includes('--quick'),
    indexes: argv.includes('--indexes'),
    out: value('--out'),
    runs: (scenario: Scenario) => !only || only.includes(scenario),
  };
}

export function benchSettings(quick: boolean) {
  return quick
    ? {
        reps: 1,
        seconds: 2,
        warmupSeconds: 0.5,
        customers: 200,
        rate: 200,
        detectionSeconds: 3,
        catchUpEvents: 10_000,
        historyRequests: 60,
        appendPriorEvents: 10_000,
        appendPhaseSeconds: 0.5,
        appendRounds: 2,
        // Few enough that a prevent run through the slow proxy answers some within the short window of a loaded CI.
        remoteConnections: 8,
      }
    : {
        reps: 3,
        seconds: 10,
        warmupSeconds: 3,
        customers: 1_000,
        rate: 500,
        detectionSeconds: 10,
        catchUpEvents: 200_000,
        historyRequests: 300,
        appendPriorEvents: 200_000,
        appendPhaseSeconds: 2,
        appendRounds: 5,
        remoteConnections: 64,
      };
}

export type BenchSettings = ReturnType<typeof benchSettings>;
