export const STRATEGIES = ['react', 'prevent'] as const;
export type Strategy = (typeof STRATEGIES)[number];
export const REACTIONS = ['alert', 'compensate'] as const;
export type Reaction = (typeof REACTIONS)[number];

export const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** `LOG_LEVEL=log` means log, warn and error: each level includes the ones above it. */
export function logLevelsFrom(level: LogLevelName): LogLevelName[] {
  return LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1);
}

/** The items of a comma list (already validated), trimmed, without empties or repeats. */
function items(list: string | undefined): string[] {
  return [
    ...new Set(
      (list ?? '')
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    ),
  ];
}

export const parseOrigins = (list: string | undefined): string[] => items(list);

export const parseReactions = (list: string): Reaction[] => items(list) as Reaction[];

/** `credit-limit=8, coupon-usage=4` as { 'credit-limit': 8, 'coupon-usage': 4 }. */
export function parseSagaPartitions(list: string | undefined): Record<string, number> {
  return Object.fromEntries(
    items(list)
      .map((pair) => pair.split('=').map((part) => part.trim()))
      .map(([saga, count]) => [saga, Number(count)]),
  );
}
