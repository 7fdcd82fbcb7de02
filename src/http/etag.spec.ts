import express from 'express';
import { weakETag } from './etag';

describe('weakETag', () => {
  const expressDefault = express().get('etag fn') as (body: Buffer | string, encoding?: BufferEncoding) => string;

  it.each(['', '{}', '{"id":"o-1","total":100}', 'zürich ✓ 😀', 'x'.repeat(70_000)])(
    'tags %j as Express does by default',
    (text) => {
      expect(weakETag(Buffer.from(text))).toBe(expressDefault(Buffer.from(text)));
      expect(weakETag(text, 'utf8')).toBe(expressDefault(text, 'utf8'));
    },
  );
});
