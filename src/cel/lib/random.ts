// kro's random library: deterministic "random" values derived from SHA-256 of a seed. The exact
// algorithm is part of the compatibility promise (names built from it must never change),
// including its quirk that seededString repeats with period 8.
import { createHash } from 'node:crypto';
import type { Environment } from '@marcbachmann/cel-js';
import { checkStringSize } from './limits.js';
import { registerNamespaced } from './namespace.js';
import { celError } from './values.js';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
const MAX_LENGTH = 1024 * 1024;

function sha256(seed: string): Buffer {
  return createHash('sha256').update(seed, 'utf8').digest();
}

export function seededString(length: bigint, seed: string): string {
  if (length <= 0n) throw celError('random.seededString length must be positive');
  // Beyond kro: the 1 MiB string bound, checked before building anything.
  if (length > BigInt(MAX_LENGTH)) checkStringSize('x'.repeat(MAX_LENGTH + 1));
  const h = sha256(seed);
  const n = Number(length);
  const chars: string[] = [];
  for (let i = 0; i < n; i++) {
    chars.push(ALPHABET[h.readUInt32BE((i * 4) % 32) % 36] ?? '');
  }
  return chars.join('');
}

export function seededInt(min: bigint, max: bigint, seed: string): bigint {
  if (min >= max) throw celError('random.seededInt min must be less than max');
  const v = sha256(seed).readBigUInt64BE(0);
  return min + (v % (max - min));
}

export function registerRandom(env: Environment): void {
  registerNamespaced(env, 'random.seededString(int, string): string', seededString);
  registerNamespaced(env, 'random.seededInt(int, int, string): int', seededInt);
}
