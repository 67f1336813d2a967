// Public surface of crd/: the instance CRD of an RGD and the comparison of two CRDs.
export type { CrdNames, SynthesizeCrdInput } from './synthesize.js';
export {
  synthesizeCrd,
  crdNamesFor,
  DEFAULT_PRINTER_COLUMNS,
  CRD_API_VERSION,
  CRD_KIND,
} from './synthesize.js';
export type { CrdDiff } from './diff.js';
export { diffCrds, summarize } from './diff.js';
export type { ChangeType, CrdChange } from './changes.js';
export { BREAKING_CHANGE_TYPES, NON_BREAKING_CHANGE_TYPES } from './changes.js';
export { pluralize } from './pluralize.js';
export {
  buildStatusSchema,
  KRO_STATUS_FIELDS,
  KRO_TS_STATUS_FIELDS,
  kroTsStatusFields,
  OWN_STATUS_FIELDS,
} from './status-schema.js';
