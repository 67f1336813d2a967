// kro's omit(): a sentinel that removes the field (or list element) holding it from a rendered
// template. The value conversion in src/cel recognises OMIT; comparing it is an error, as in kro.
import type { Environment } from '@marcbachmann/cel-js';
import { celError } from './values.js';

/** The type cel-js reports for the sentinel (`type(omit())` is `kro.omit`, as in kro). */
export class OmitSentinel {
  static readonly celTypeName = 'kro.omit';
  equals(): boolean {
    throw celError('omit() is a field-removal sentinel and cannot be compared');
  }
  toString(): string {
    return 'omit()';
  }
}

/** The single omit() value. */
export const OMIT: OmitSentinel = Object.freeze(new OmitSentinel());

export function isOmit(v: unknown): v is OmitSentinel {
  return v === OMIT;
}

export function registerOmit(env: Environment): void {
  env.registerType('kro.omit', OmitSentinel);
  env.registerFunction('omit(): dyn', () => OMIT);
}
