// cel-go Encoders extension: base64.encode(bytes) → string (standard alphabet, padded) and
// base64.decode(string) → bytes, which accepts padded and unpadded input like cel-go (it tries
// StdEncoding, then RawStdEncoding) and rejects anything else with Go's error text.
import type { Environment } from '@marcbachmann/cel-js';
import { registerNamespaced } from './namespace.js';
import { isAlnum, removeWith, trimRightChar } from './scan.js';
import { celError } from './values.js';

const isStd = (c: number): boolean => isAlnum(c) || c === 0x2b || c === 0x2f;

function decode(s: string): Uint8Array {
  // Go's decoder skips \r and \n anywhere in the input.
  const clean = removeWith(s, (c) => c === 0x0d || c === 0x0a);
  const body = trimRightChar(clean, '=');
  const padding = clean.length - body.length;
  const badAt = [...body].findIndex((c) => !isStd(c.charCodeAt(0)) || c.length > 1);
  const validPadding =
    padding === 0 ? body.length % 4 !== 1 : (body.length + padding) % 4 === 0 && padding <= 2;
  if (badAt >= 0 || !validPadding || (padding > 0 && body.length % 4 === 1)) {
    // Go reports the offset of the first offending byte of the padded attempt.
    const offset = badAt >= 0 ? badAt : body.length % 4 === 1 ? body.length - 1 : body.length;
    throw celError(`illegal base64 data at input byte ${offset}`);
  }
  return new Uint8Array(Buffer.from(body, 'base64'));
}

export function registerEncoders(env: Environment): void {
  registerNamespaced(env, 'base64.encode(bytes): string', (b: Uint8Array) =>
    Buffer.from(b).toString('base64'),
  );
  registerNamespaced(env, 'base64.decode(string): bytes', decode);
}
