import { createHash, hash } from 'node:crypto';

/** sha256 of a text, hex; what `state:modified` compares. One-shot `hash` is much cheaper per call. */
export function checksumOf(text: string): string {
  return typeof hash === 'function' ? hash('sha256', text) : createHash('sha256').update(text).digest('hex');
}
