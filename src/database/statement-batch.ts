import pg from 'pg';

/** One statement of a batch; a `name` makes it a prepared statement of the connection. */
export interface Statement {
  text: string;
  values: unknown[];
  name?: string;
}

/** What the batch reads and writes of node-postgres's connection (its own bookkeeping of prepared statements). */
interface Wire {
  parsedStatements: Record<string, string>;
  submittedNamedStatements: Record<string, string>;
  parse(message: { text: string; name?: string }): void;
  bind(message: { statement?: string; values: unknown[]; valueMapper: (value: unknown) => unknown }): void;
  describe(message: { type: 'P'; name: string }): void;
  execute(message: { portal: string }): void;
  sync(): void;
  on(event: 'parseComplete', listener: () => void): void;
  off(event: 'parseComplete', listener: () => void): void;
  stream: { cork?(): void; uncork?(): void };
}

interface QueryBase {
  handleError(error: Error, connection: Wire): void;
  handleReadyForQuery(connection: Wire): void;
}
const { Query, utils } = pg as unknown as {
  Query: new (config: { text: string; callback: (error: Error | null, results: unknown) => void }) => QueryBase;
  utils: { prepareValue(value: unknown): unknown };
};

/**
 * Several statements in one round trip: each one's Parse (only the first
 * time on the connection for a named one), Bind, Describe and Execute, then
 * a single Sync. PostgreSQL runs them in order, each with a snapshot of its
 * own under READ COMMITTED (taken at its Bind, after the statement before
 * it has finished); the first error skips the rest up to the Sync. Outside a
 * BEGIN they form one implicit transaction.
 */
class BatchQuery extends Query {
  /** Every Parse sent, in order: the named statement's name and text, or null for an unnamed one. */
  private parses: ([string, string] | null)[] = [];
  private parsed = 0;
  private readonly onParsed = () => void this.parsed++;

  constructor(
    private readonly statements: Statement[],
    callback: (error: Error | null, results: unknown) => void,
  ) {
    super({ text: statements.map((statement) => statement.text).join(';\n'), callback });
  }

  submit(connection: Wire): Error | null {
    // Every value converted before a message goes out: a value that cannot be sent fails the batch whole,
    // as node-postgres answers a submit that returns an error, instead of leaving messages without a Sync.
    let values: unknown[][];
    try {
      values = this.statements.map((statement) => statement.values.map(utils.prepareValue));
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
    connection.on('parseComplete', this.onParsed);
    connection.stream.cork?.();
    try {
      for (const [i, { text, name }] of this.statements.entries()) {
        const known = name && (connection.parsedStatements[name] ?? connection.submittedNamedStatements[name]);
        if (!known) {
          connection.parse({ text, name });
          if (name) connection.submittedNamedStatements[name] = text;
          this.parses.push(name ? [name, text] : null);
        }
        connection.bind({ statement: name, values: values[i], valueMapper: (value) => value });
        connection.describe({ type: 'P', name: '' });
        connection.execute({ portal: '' });
      }
      connection.sync();
    } finally {
      connection.stream.uncork?.();
    }
    return null;
  }

  override handleError(error: Error, connection: Wire): void {
    this.settle(connection);
    super.handleError(error, connection);
  }

  override handleReadyForQuery(connection: Wire): void {
    this.settle(connection);
    super.handleReadyForQuery(connection);
  }

  /** The statements parsed (their ParseComplete came back, in order) are known from now on; the others are not. */
  private settle(connection: Wire): void {
    connection.off('parseComplete', this.onParsed);
    this.parses.forEach((parse, i) => {
      if (!parse) return;
      const [name, text] = parse;
      delete connection.submittedNamedStatements[name];
      if (i < this.parsed) connection.parsedStatements[name] = text;
    });
    this.parses = [];
  }
}

/** Sends `statements` on a node-postgres client in one round trip; the rows of each, in order. */
export function runBatch<R>(client: unknown, statements: Statement[]): Promise<R[][]> {
  return new Promise((resolve, reject) => {
    const query = new BatchQuery(statements, (error, results) => {
      if (error) return reject(error);
      const all = (Array.isArray(results) ? results : [results]) as { rows: R[] }[];
      resolve(all.map((result) => result.rows));
    });
    (client as { query(query: unknown): void }).query(query);
  });
}
