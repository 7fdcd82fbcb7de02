import { Shows1763701100000 } from './1763701100000-shows';

/** The app's migrations, in order; BackstopModule applies them with its own at start (options.database.migrations). */
export const migrations = [Shows1763701100000];
