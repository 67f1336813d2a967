// The user's schema from the issue, end to end on a real API server: the CRD kro-ts generates is
// accepted, defaults (including nested `default: {}` propagation) are filled in, and a YAML
// number for the string `tag` is rejected naming the field, while a quoted tag is accepted.

import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { diffCrds } from '../../../src/crd/index.js';
import type { JsonObject } from '../../../src/lib/json.js';
import { createTestNamespace } from '../../harness/index.js';
import type { InstalledKind } from './helpers.js';
import { createInstance, installKind, rejection } from './helpers.js';

const USER_SPEC = parse(`
name: string | default=frontend
namespace: string | default=develop
values:
  configMap:
    data:
      API_HTTP_URL: string
      TIME_ZONE: string | default="XXX/XXX"
  deployment:
    image: string
    tag: string
    replicas: integer | default=1
  service:
    port: integer | default=3000
    targetPort: integer | default=3000
`) as JsonObject;

/** The user's instance.yaml spec, with the tag written by their automation. */
const instanceSpec = (tagLine: string): unknown =>
  parse(`
values:
  configMap:
    data:
      API_HTTP_URL: https://api.example.com
  deployment:
    image: registry.example.com/frontend
    ${tagLine}
`);

let ns: string;
let kind: InstalledKind;

beforeAll(async () => {
  ns = await createTestNamespace('ss-user');
  kind = await installKind({ apiVersion: 'v1alpha1', kind: 'FrontendApp', spec: USER_SPEC });
});

describe("the user's schema on the API server", () => {
  it('is accepted and Established; reading it back shows no difference to write', () => {
    expect(kind.stored.metadata.name).toMatch(/^frontendapps\./);
    const diff = diffCrds(kind.stored as unknown as JsonObject, kind.desired);
    expect(diff.needsUpdate).toBe(false);
    expect(diff.breaking).toEqual([]);
    expect(diff.nonBreaking).toEqual([]);
  });

  it('rejects `tag: 1.0` (a YAML number) naming spec.values.deployment.tag', async () => {
    const spec = instanceSpec('tag: 1.0');
    const message = await rejection(() => createInstance(kind, ns, spec));
    expect(message).toContain('spec.values.deployment.tag');
    expect(message).toContain('must be of type string');
  });

  it('accepts `tag: "1.0.1"` and fills every default', async () => {
    const created = await createInstance(kind, ns, instanceSpec('tag: "1.0.1"'));
    expect(created.spec).toEqual({
      name: 'frontend',
      namespace: 'develop',
      values: {
        configMap: { data: { API_HTTP_URL: 'https://api.example.com', TIME_ZONE: 'XXX/XXX' } },
        deployment: { image: 'registry.example.com/frontend', tag: '1.0.1', replicas: 1 },
        service: { port: 3000, targetPort: 3000 },
      },
    });
  });

  it('defaults a minimal instance through nested default: {} (spec omitted entirely)', async () => {
    const created = await createInstance(kind, ns, undefined);
    expect(created.spec).toEqual({
      name: 'frontend',
      namespace: 'develop',
      values: {
        configMap: { data: { TIME_ZONE: 'XXX/XXX' } },
        deployment: { replicas: 1 },
        service: { port: 3000, targetPort: 3000 },
      },
    });
  });
});
