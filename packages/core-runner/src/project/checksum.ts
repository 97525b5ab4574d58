import { createHash } from 'node:crypto';

/** sha256 of a text, hex; what `state:modified` compares. */
export function checksumOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
