// Equality for kro-ts's opaque value types. cel-js compares unknown objects by identity, while
// cel-go compares Quantity, URL, IP, CIDR and Semver by value, and kro's omit() refuses to be
// compared at all. (cel-js derives `!=` from `==`.)
import type { Environment } from '@marcbachmann/cel-js';
import { celError } from './values.js';

interface Equatable {
  equals(o: unknown): boolean;
}

export function registerOpaqueEquality(env: Environment, typeNames: readonly string[]): void {
  for (const t of typeNames) {
    env.registerOperator(`${t} == ${t}`, (a: Equatable, b: unknown) => a.equals(b));
  }
}

export function registerOmitComparison(env: Environment): void {
  const refuse = (): never => {
    throw celError('omit() is a field-removal sentinel and cannot be compared');
  };
  env.registerOperator('kro.omit == kro.omit', refuse);
}
