import {
  findUnstorable,
  isStorableString,
  percentDecodedBytes,
  unstorableBytesReason,
  unstorableReason,
} from './storable-string';

describe('storable strings', () => {
  it('accepts any well-formed text, astral characters included', () => {
    for (const text of ['', 'plain', 'Zoë', 'tab\there', '😀', 'a\ud83d\ude00b', '\u{10FFFF}', '\uFFFD', '\u0001']) {
      expect(isStorableString(text)).toBe(true);
    }
  });

  it('refuses NUL and every unpaired surrogate, wherever it sits', () => {
    expect(unstorableReason('a\u0000b')).toMatch(/NUL/);
    for (const text of ['\ud800', 'a\ud800b', 'a\udfff', '\udc00\ud800', 'ok\ud83d', '\ude00ok']) {
      expect(unstorableReason(text)).toMatch(/unpaired UTF-16 surrogate/);
    }
  });

  it('judges raw bytes: valid UTF-8 without NUL only', () => {
    expect(unstorableBytesReason(Buffer.from('Zoë 😀'))).toBeUndefined();
    for (const bytes of [
      [0xff],
      [0xc3, 0x28],
      [0xc0, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xe2, 0x82],
      [0xf8, 0x88, 0x80, 0x80, 0x80],
    ]) {
      expect(unstorableBytesReason(Buffer.from([0x61, ...bytes]))).toBe('is not valid UTF-8');
    }
    expect(unstorableBytesReason(Buffer.from([0x61, 0x00]))).toMatch(/NUL/);
  });

  it('decodes percent escapes to the bytes they stand for, leaving anything else as sent', () => {
    expect(percentDecodedBytes('/a%C3%A9?x=%ff&y=%2')).toEqual(
      Buffer.from([...Buffer.from('/a'), 0xc3, 0xa9, ...Buffer.from('?x='), 0xff, ...Buffer.from('&y=%2')]),
    );
    expect(percentDecodedBytes('%zz%%41')).toEqual(Buffer.from('%zz%A'));
    expect(unstorableBytesReason(percentDecodedBytes('q=%E2%82%AC'))).toBeUndefined();
    expect(unstorableBytesReason(percentDecodedBytes('q=%E2%82'))).toBe('is not valid UTF-8');
    expect(unstorableBytesReason(percentDecodedBytes('q=a%00'))).toMatch(/NUL/);
  });

  it('finds the first unstorable string or property name at any depth and names its path', () => {
    expect(findUnstorable({ a: 1, b: ['x', { c: 'ok' }], d: null })).toBeUndefined();
    expect(findUnstorable({ name: 'A\ud800' }, 'body')).toBe('name contains an unpaired UTF-16 surrogate');
    expect(findUnstorable({ a: { b: [0, 'x\u0000'] } }, 'body')).toBe('a.b[1] contains the NUL character (U+0000)');
    expect(findUnstorable({ a: { ['k\udc00']: 1 } }, 'body')).toBe(
      'a property name in a contains an unpaired UTF-16 surrogate',
    );
    expect(findUnstorable('\ud800', 'id')).toBe('id contains an unpaired UTF-16 surrogate');
  });

  it('walks a deeply nested value without overflowing the stack', () => {
    let deep: unknown = 'end\u0000';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(findUnstorable(deep)).toMatch(/NUL/);
  });
});
