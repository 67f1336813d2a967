// kro's hash library: hash.fnv64a / hash.sha256 / hash.md5 of a string's UTF-8 bytes, as bytes.
import { createHash } from 'node:crypto';
import type { Environment } from '@marcbachmann/cel-js';
import { registerNamespaced } from './namespace.js';

const FNV64_OFFSET = 0xcbf29ce484222325n;
const FNV64_PRIME = 0x100000001b3n;
const MASK64 = 0xffffffffffffffffn;

/** FNV-1a 64-bit, big-endian digest (Go hash/fnv New64a().Sum(nil)). */
export function fnv64a(s: string): Uint8Array {
  let h = FNV64_OFFSET;
  for (const byte of Buffer.from(s, 'utf8')) h = ((h ^ BigInt(byte)) * FNV64_PRIME) & MASK64;
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, h);
  return out;
}

function digest(algorithm: 'sha256' | 'md5', s: string): Uint8Array {
  return new Uint8Array(createHash(algorithm).update(s, 'utf8').digest());
}

export function registerHash(env: Environment): void {
  registerNamespaced(env, 'hash.fnv64a(string): bytes', fnv64a);
  registerNamespaced(env, 'hash.sha256(string): bytes', (s: string) => digest('sha256', s));
  registerNamespaced(env, 'hash.md5(string): bytes', (s: string) => digest('md5', s));
}
