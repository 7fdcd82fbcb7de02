import { isUtf8 } from 'node:buffer';

/**
 * The one rule for text that may reach PostgreSQL: `text` and `jsonb` refuse
 * U+0000, and jsonb refuses the `\uD800` escapes JSON.stringify writes for
 * unpaired surrogates. Bytes must be valid UTF-8 as sent: decoding them
 * leniently would store U+FFFD, a guess at what the client meant.
 */

// With the u flag, \p{Cs} only matches a surrogate that is not half of a pair.
const UNPAIRED_SURROGATE = /\p{Cs}/u;
const PERCENT_ESCAPE = /(%[0-9A-Fa-f]{2})/;

/** Why this text cannot be stored, or undefined when it can. */
export function unstorableReason(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains the NUL character (U+0000)';
  if (UNPAIRED_SURROGATE.test(text)) return 'contains an unpaired UTF-16 surrogate';
  return undefined;
}

export const isStorableString = (text: string): boolean => unstorableReason(text) === undefined;

/** Why these bytes are not storable text, or undefined when they are. */
export function unstorableBytesReason(bytes: Uint8Array): string | undefined {
  if (!isUtf8(bytes)) return 'is not valid UTF-8';
  if (bytes.includes(0)) return 'contains the NUL character (U+0000)';
  return undefined;
}

/**
 * The bytes a percent-encoded string (a URL, a form body) stands for. Express
 * and qs decode invalid sequences leniently (U+FFFD, or the escape left as
 * is), so they are judged here before anyone decodes them. Characters that
 * are not escapes count as the bytes they arrived as (Node reads them as latin1).
 */
export function percentDecodedBytes(encoded: string): Buffer {
  return Buffer.concat(
    encoded
      .split(PERCENT_ESCAPE)
      .map((part) =>
        PERCENT_ESCAPE.test(part) && part.length === 3
          ? Buffer.of(parseInt(part.slice(1), 16))
          : Buffer.from(part, 'latin1'),
      ),
  );
}

interface Visit {
  value: unknown;
  parent?: Visit;
  key?: string | number;
}

function pathOf(visit: Visit, root: string): string {
  const keys: (string | number)[] = [];
  for (let at: Visit | undefined = visit; at?.key !== undefined; at = at.parent) keys.push(at.key);
  if (keys.length === 0) return root;
  keys.reverse();
  const path = keys.map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? key : `.${key}`)).join('');
  // A culprit deep in a huge body should not make a huge error message.
  return path.length > 200 ? `${path.slice(0, 100)}…${path.slice(-100)}` : path;
}

/**
 * The first string (value or property name) anywhere in a parsed body or
 * query that cannot be stored, described with its path. Iterative, so that
 * a deeply nested body cannot overflow the stack; paths are only spelled out
 * for the culprit, which keeps a large valid body cheap.
 */
export function findUnstorable(value: unknown, root = 'value'): string | undefined {
  const pending: Visit[] = [{ value }];
  while (pending.length > 0) {
    const visit = pending.pop()!;
    const current = visit.value;
    if (typeof current === 'string') {
      const reason = unstorableReason(current);
      if (reason) return `${pathOf(visit, root)} ${reason}`;
    } else if (Array.isArray(current)) {
      for (let index = current.length - 1; index >= 0; index--)
        pending.push({ value: current[index], parent: visit, key: index });
    } else if (typeof current === 'object' && current !== null) {
      for (const key of Object.keys(current)) {
        const reason = unstorableReason(key);
        if (reason) return `a property name in ${pathOf(visit, root)} ${reason}`;
        pending.push({ value: (current as Record<string, unknown>)[key], parent: visit, key });
      }
    }
  }
  return undefined;
}
