// 57014: statement timeout (or a cancel); 57P: the server ended the session.
const TRANSIENT_SQLSTATE = /^(08|53|57P|57014|40001|40P01)/;
const TRANSIENT_MESSAGE =
  /Connection terminated|ECONNREFUSED|ECONNRESET|ETIMEDOUT|timeout exceeded when trying to connect|Client has encountered a connection error/i;

/** The database was unreachable or asked for a retry: nothing is wrong with the work itself. */
export function isTransientDatabaseError(error: unknown): boolean {
  const cause = (error as { driverError?: unknown }).driverError ?? error;
  const { code, message } = (cause ?? {}) as { code?: unknown; message?: unknown };
  return (
    (typeof code === 'string' && TRANSIENT_SQLSTATE.test(code)) ||
    (typeof message === 'string' && TRANSIENT_MESSAGE.test(message))
  );
}
