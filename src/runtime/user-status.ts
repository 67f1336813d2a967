// User status fields (spec 04 §12.4): evaluated softly after the waves. A field is written only
// when all its expressions produced a value; pending fields are left out; a real error leaves the
// field out and is reported (StatusFieldError) while the other fields are still written.

import type { JsonObject } from '../lib/json.js';
import type { InstanceContext } from './context.js';
import { renderTemplate } from './render.js';

export interface UserStatus {
  readonly fields: JsonObject;
  /** `status field "<path>" expression "<expr>": <error>` per failed field. */
  readonly errors: readonly string[];
}

export function evaluateUserStatus(ctx: InstanceContext): UserStatus {
  const fields: JsonObject = {};
  const errors: string[] = [];
  for (const field of ctx.graph.status.fields) {
    const missingDep = field.dependencies.some((d) => !ctx.isObservedForStatus(d));
    if (missingDep) continue;
    const r = renderTemplate(ctx, { nodeId: '', template: {}, fields: [field], status: true });
    if (r.kind === 'pending') continue;
    if (r.kind === 'error') {
      errors.push(r.message.replace(/^node "" field /, 'status field '));
      continue;
    }
    mergeInto(fields, r.object);
  }
  return { fields, errors };
}

function mergeInto(target: JsonObject, source: JsonObject): void {
  for (const [k, v] of Object.entries(source)) {
    const cur = target[k];
    if (isObj(cur) && isObj(v)) mergeInto(cur, v);
    else if (Array.isArray(cur) && Array.isArray(v)) v.forEach((x, i) => x !== undefined && (cur[i] = x));
    else target[k] = v;
  }
}

function isObj(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
