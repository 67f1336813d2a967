// flect v1.0.3's Pluralize, as kro calls it: on the lower-cased kind. Combines the tables in
// flect-tables.ts exactly as flect's init() and Ident.Pluralize do, quirks included (an acronym
// ending in "S", e.g. "dns", comes out as "dnsDNSes", which the API server then rejects; kro
// behaves the same). Input outside [a-z0-9] is not a kind and is not modelled (flect splits it
// into parts).

import { FLECT_ACRONYMS, FLECT_DICTIONARY, FLECT_SUFFIXES } from './flect-tables.js';

interface Rule {
  readonly suffix: string;
  readonly apply: (s: string) => string;
}

const singleToPlural = new Map<string, string>();
const pluralToSingle = new Set<string>();
for (const w of FLECT_DICTIONARY) {
  const plural = w.plural ?? (w.uncountable === true ? w.singular : '');
  singleToPlural.set(w.singular, plural);
  if (w.unidirectional !== true) {
    pluralToSingle.add(plural);
    if (w.alternative !== undefined) pluralToSingle.add(w.alternative);
  }
}

/** flect's rule list: each insert puts [plural→itself, singular→plural] in front of the rest. */
const pluralRules: Rule[] = (() => {
  let rules: Rule[] = [];
  const insert = (suffix: string, repl: string): void => {
    rules = [
      { suffix: repl, apply: (s) => s },
      { suffix, apply: (s) => s.slice(0, s.length - suffix.length) + repl },
      ...rules,
    ];
  };
  for (let i = FLECT_SUFFIXES.length - 1; i >= 0; i--) {
    const [singular, plural] = FLECT_SUFFIXES[i] ?? ['', ''];
    insert(singular, plural);
  }
  for (const w of FLECT_DICTIONARY) {
    if (w.exact === true) continue;
    insert(w.singular, w.plural ?? (w.uncountable === true ? w.singular : ''));
  }
  return rules;
})();

/** flect's last "part" of a lower-case word: the word, or its upper-case form if an acronym. */
function lastPart(word: string): string {
  const upper = word.toUpperCase();
  return FLECT_ACRONYMS.has(upper) ? upper : word;
}

function replaceSuffix(original: string, suffix: string, replacement: string): string {
  const base = original.endsWith(suffix) ? original.slice(0, original.length - suffix.length) : original;
  return base + replacement;
}

/** Pluralises a lower-case kind the way kro names its CRDs (`webapp` → `webapps`). */
export function pluralize(word: string): string {
  const s = lastPart(word);
  if (s === '') return '';
  const direct = singleToPlural.get(word);
  if (direct !== undefined) return direct;
  if (pluralToSingle.has(word)) return word;
  const lower = s.toLowerCase();
  if (pluralToSingle.has(lower)) return word;
  const viaLower = singleToPlural.get(lower);
  if (viaLower !== undefined) return replaceSuffix(word, s, viaLower);
  for (const rule of pluralRules) {
    if (s.endsWith(rule.suffix)) return replaceSuffix(word, s, rule.apply(s));
  }
  if (lower.endsWith('s')) return word;
  return word + 's';
}
