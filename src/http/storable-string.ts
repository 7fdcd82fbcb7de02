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
      .map((part) => (PERCENT_ESCAPE.test(part) && part.length === 3 ? Buffer.of(parseInt(part.slice(1), 16)) : Buffer.from(part, 'latin1'))),
  );
}

/**
 * The first string (value or property name) anywhere in a parsed body or
 * query that cannot be stored, described with its path. Iterative, so that
 * a deeply nested body cannot overflow the stack.
 */
export function findUnstorable(value: unknown, root = 'value'): string | undefined {
  const pending: [unknown, string][] = [[value, root]];
  while (pending.length > 0) {
    const [current, path] = pending.pop()!;
    if (typeof current === 'string') {
      const reason = unstorableReason(current);
      if (reason) return `${path} ${reason}`;
    } else if (Array.isArray(current)) {
      current.forEach((item, index) => pending.push([item, `${path}[${index}]`]));
    } else if (typeof current === 'object' && current !== null) {
      for (const [key, item] of Object.entries(current)) {
        const reason = unstorableReason(key);
        if (reason) return `a property name in ${path} ${reason}`;
        pending.push([item, path === root ? key : `${path}.${key}`]);
      }
    }
  }
  return undefined;
}
