// Issue 14: 5xx answers are retried with backoff for idempotent requests only. A real 503 from
// the real API server: an APIService whose backing Service does not exist makes the aggregator
// answer 503 for its group-version.

import { describe, expect, it } from 'vitest';
import { createKubeClientFromConfig, isIdempotent } from '../../../src/kube/client.js';
import type { RequestObservation } from '../../../src/kube/client.js';
import { isKubeApiError } from '../../../src/kube/index.js';
import { KubeConfig } from '@kubernetes/client-node';
import {
  createTestNamespace,
  getKube,
  getKubeConfigPath,
  registerCleanup,
  uniqueGroup,
} from '../../harness/index.js';

describe('5xx from a real API server', () => {
  it('a GET answered 503 is retried (with backoff) before the error surfaces; a POST is not', async () => {
    const kube = await getKube();
    const ns = await createTestNamespace('retry-5xx');
    const group = uniqueGroup('unavail');
    const name = `v1.${group}`;
    await kube.resources.create({
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name },
      spec: {
        group,
        version: 'v1',
        service: { name: 'nothing-here', namespace: ns, port: 443 },
        insecureSkipTLSVerify: true,
        groupPriorityMinimum: 1000,
        versionPriority: 10,
      },
    });
    registerCleanup(() =>
      kube.resources.delete({ apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', name }),
    );
    const kc = new KubeConfig();
    kc.loadFromFile(getKubeConfigPath());
    const codes: { verb: string; code: string }[] = [];
    const c = await createKubeClientFromConfig(kc, {
      qps: 0,
      observer: (o: RequestObservation) => codes.push({ verb: o.verb, code: o.code }),
    });
    try {
      // The aggregator proxies the group-version once it has registered the APIService.
      const deadline = Date.now() + 60_000;
      let last: unknown;
      for (;;) {
        codes.length = 0;
        last = await c.request({ method: 'GET', path: `/apis/${group}/v1/things` }).catch((e: unknown) => e);
        if (isKubeApiError(last) && last.status === 503) break;
        if (Date.now() > deadline) throw new Error(`no 503 from the aggregator: ${String(last)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const gets = codes.filter((x) => x.verb === 'GET' && x.code === '503');
      expect(gets.length).toBe(6); // the first attempt and 5 retries
      codes.length = 0;
      const post = await c
        .request({
          method: 'POST',
          path: `/apis/${group}/v1/namespaces/${ns}/things`,
          body: { kind: 'Thing' },
        })
        .catch((e: unknown) => e);
      expect(isKubeApiError(post) && post.status).toBe(503);
      expect(codes.filter((x) => x.verb === 'POST')).toHaveLength(1);
    } finally {
      c.close();
    }
  });

  it('classifies idempotent requests', () => {
    expect(isIdempotent({ method: 'GET' })).toBe(true);
    expect(isIdempotent({ method: 'PUT' })).toBe(true);
    expect(isIdempotent({ method: 'DELETE' })).toBe(true);
    expect(isIdempotent({ method: 'PATCH', contentType: 'application/apply-patch+yaml' })).toBe(true);
    expect(isIdempotent({ method: 'PATCH', contentType: 'application/json-patch+json' })).toBe(false);
    expect(isIdempotent({ method: 'POST' })).toBe(false);
  });
});
