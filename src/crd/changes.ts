// Change kinds of the breaking-change detection (spec 01 §7.2), with kro's names and texts.

export const BREAKING_CHANGE_TYPES = [
  'PROPERTY_REMOVED',
  'TYPE_CHANGED',
  'REQUIRED_ADDED',
  'ENUM_RESTRICTED',
  'PATTERN_CHANGED',
  'PATTERN_ADDED',
  'REQUIRED_DEFAULT_REMOVED',
  'MINIMUM_ADDED',
  'MINIMUM_INCREASED',
  'MAXIMUM_ADDED',
  'MAXIMUM_DECREASED',
  'MIN_LENGTH_ADDED',
  'MIN_LENGTH_INCREASED',
  'MAX_LENGTH_ADDED',
  'MAX_LENGTH_DECREASED',
  'MIN_ITEMS_ADDED',
  'MIN_ITEMS_INCREASED',
  'MAX_ITEMS_ADDED',
  'MAX_ITEMS_DECREASED',
] as const;

export const NON_BREAKING_CHANGE_TYPES = [
  'PROPERTY_ADDED',
  'DESCRIPTION_CHANGED',
  'DEFAULT_CHANGED',
  'REQUIRED_REMOVED',
  'ENUM_EXPANDED',
  'PATTERN_REMOVED',
  'MINIMUM_REMOVED',
  'MINIMUM_DECREASED',
  'MAXIMUM_REMOVED',
  'MAXIMUM_INCREASED',
  'MIN_LENGTH_REMOVED',
  'MIN_LENGTH_DECREASED',
  'MAX_LENGTH_REMOVED',
  'MAX_LENGTH_INCREASED',
  'MIN_ITEMS_REMOVED',
  'MIN_ITEMS_DECREASED',
  'MAX_ITEMS_REMOVED',
  'MAX_ITEMS_INCREASED',
  /** kro-ts only: a difference kro ignores (validations, list type, format, columns, labels…). */
  'OTHER_CHANGED',
] as const;

export type ChangeType = (typeof BREAKING_CHANGE_TYPES)[number] | (typeof NON_BREAKING_CHANGE_TYPES)[number];

export interface CrdChange {
  /** kro's path form: `.properties.spec.properties.a.minimum`, `version`, `version.served`. */
  readonly path: string;
  readonly type: ChangeType;
  readonly oldValue: string;
  readonly newValue: string;
  /** The text used in summaries, e.g. `Property b was removed`. */
  readonly description: string;
}

const lastSegment = (path: string): string => path.split('.').at(-1) ?? path;

type Describe = (name: string, o: string, n: string) => string;

const DESCRIPTIONS: Record<ChangeType, Describe> = {
  PROPERTY_REMOVED: (p) => `Property ${p} was removed`,
  // kro compares against "required" while storing "required=true", so kro always prints
  // "Optional property"; kro-ts prints what the spec says for the breaking case.
  PROPERTY_ADDED: (p, _o, n) =>
    n === 'required=true' ? `Required property ${p} was added` : `Optional property ${p} was added`,
  TYPE_CHANGED: (_p, o, n) => `Type changed from ${o} to ${n}`,
  REQUIRED_ADDED: (_p, _o, n) => `Field ${n} is newly required`,
  REQUIRED_REMOVED: (_p, o) => `Field ${o} is no longer required`,
  ENUM_RESTRICTED: (_p, o) => `Enum value ${o} was removed`,
  ENUM_EXPANDED: (_p, _o, n) => `Enum value ${n} was added`,
  PATTERN_CHANGED: (_p, o, n) => `Validation pattern changed from ${o} to ${n}`,
  PATTERN_ADDED: (_p, _o, n) => `Validation pattern ${n} was added`,
  PATTERN_REMOVED: (_p, o) => `Validation pattern ${o} was removed`,
  REQUIRED_DEFAULT_REMOVED: (_p, o) => `Default value removed from required field ${o}`,
  DESCRIPTION_CHANGED: (_p, o, n) => `Description field was changed from ${o} to ${n}`,
  DEFAULT_CHANGED: (_p, o, n) => `Default value was changed from ${o} to ${n}`,
  MINIMUM_ADDED: (_p, _o, n) => `Minimum constraint ${n} was added`,
  MINIMUM_REMOVED: (_p, o) => `Minimum constraint ${o} was removed`,
  MINIMUM_INCREASED: (_p, o, n) => `Minimum was increased from ${o} to ${n}`,
  MINIMUM_DECREASED: (_p, o, n) => `Minimum was decreased from ${o} to ${n}`,
  MAXIMUM_ADDED: (_p, _o, n) => `Maximum constraint ${n} was added`,
  MAXIMUM_REMOVED: (_p, o) => `Maximum constraint ${o} was removed`,
  MAXIMUM_DECREASED: (_p, o, n) => `Maximum was decreased from ${o} to ${n}`,
  MAXIMUM_INCREASED: (_p, o, n) => `Maximum was increased from ${o} to ${n}`,
  MIN_LENGTH_ADDED: (_p, _o, n) => `MinLength constraint ${n} was added`,
  MIN_LENGTH_REMOVED: (_p, o) => `MinLength constraint ${o} was removed`,
  MIN_LENGTH_INCREASED: (_p, o, n) => `MinLength was increased from ${o} to ${n}`,
  MIN_LENGTH_DECREASED: (_p, o, n) => `MinLength was decreased from ${o} to ${n}`,
  MAX_LENGTH_ADDED: (_p, _o, n) => `MaxLength constraint ${n} was added`,
  MAX_LENGTH_REMOVED: (_p, o) => `MaxLength constraint ${o} was removed`,
  MAX_LENGTH_DECREASED: (_p, o, n) => `MaxLength was decreased from ${o} to ${n}`,
  MAX_LENGTH_INCREASED: (_p, o, n) => `MaxLength was increased from ${o} to ${n}`,
  MIN_ITEMS_ADDED: (_p, _o, n) => `MinItems constraint ${n} was added`,
  MIN_ITEMS_REMOVED: (_p, o) => `MinItems constraint ${o} was removed`,
  MIN_ITEMS_INCREASED: (_p, o, n) => `MinItems was increased from ${o} to ${n}`,
  MIN_ITEMS_DECREASED: (_p, o, n) => `MinItems was decreased from ${o} to ${n}`,
  MAX_ITEMS_ADDED: (_p, _o, n) => `MaxItems constraint ${n} was added`,
  MAX_ITEMS_REMOVED: (_p, o) => `MaxItems constraint ${o} was removed`,
  MAX_ITEMS_DECREASED: (_p, o, n) => `MaxItems was decreased from ${o} to ${n}`,
  MAX_ITEMS_INCREASED: (_p, o, n) => `MaxItems was increased from ${o} to ${n}`,
  OTHER_CHANGED: (p) => `Field ${p} was changed`,
};

export function makeChange(path: string, type: ChangeType, oldValue = '', newValue = ''): CrdChange {
  return {
    path,
    type,
    oldValue,
    newValue,
    description: DESCRIPTIONS[type](lastSegment(path), oldValue, newValue),
  };
}

/** Go's strconv.FormatFloat(f, 'f', -1, 64): shortest digits, never an exponent. */
export function formatFloat(f: number): string {
  const s = String(f);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign = '', lead = '', frac = '', expText = '0'] = m;
  const exp = Number(expText);
  const digits = lead + frac;
  if (exp >= 0) {
    const intLen = 1 + exp;
    return (
      sign +
      (digits.length <= intLen
        ? digits.padEnd(intLen, '0')
        : `${digits.slice(0, intLen)}.${digits.slice(intLen)}`)
    );
  }
  return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
}
