// controller/rgd: the ResourceGraphDefinition controller (spec 01 §5–10).
export { RgdController } from './controller.js';
export type { RgdControllerOptions } from './controller.js';
export { specHash, fnv64a } from './spec-hash.js';
export { ensureRgdCrd, CrdEnsureError } from './ensure-crd.js';
export { RgdStatusDraft, RGD_DEPENDENT_CONDITIONS } from './status.js';
