// Every request to the real API server is observed (status, latency, sizes) and, in the operator,
// becomes kro's rest_client_* metrics.

import { describe, expect, it } from 'vitest';
import type { RequestObservation } from '../../../src/kube/index.js';
import { createKubeClient, isNotFound } from '../../../src/kube/index.js';
import { restClientObserver } from '../../../src/main.js';
import { createMetrics } from '../../../src/observability/metrics.js';
import { getKubeConfigPath } from '../../harness/index.js';

describe('request observer', () => {
  it('reports each request with its status code and feeds rest_client_* metrics', async () => {
    const seen: RequestObservation[] = [];
    const metrics = createMetrics({ defaultMetrics: false });
    const feed = restClientObserver(metrics);
    const client = await createKubeClient({
      kubeconfigPath: getKubeConfigPath(),
      observer: (o) => {
        seen.push(o);
        feed(o);
      },
    });
    try {
      await client.request({ method: 'GET', path: '/api/v1/namespaces/default' });
      const missing = await client
        .request({ method: 'GET', path: '/api/v1/namespaces/default/configmaps/kro-ts-no-such-map' })
        .catch((e: unknown) => e);
      expect(isNotFound(missing)).toBe(true);
    } finally {
      client.close();
    }
    expect(seen.map((o) => [o.verb, o.code])).toEqual([
      ['GET', '200'],
      ['GET', '404'],
    ]);
    expect(seen[0]?.responseBytes).toBeGreaterThan(0);
    expect(seen[0]?.seconds).toBeGreaterThanOrEqual(0);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/rest_client_requests_total\{code="200",method="GET",host="127\.0\.0\.1:\d+"\} 1/);
    expect(text).toMatch(/rest_client_requests_total\{code="404",method="GET",host="127\.0\.0\.1:\d+"\} 1/);
    expect(text).toMatch(
      /rest_client_request_duration_seconds_count\{verb="GET",host="127\.0\.0\.1:\d+"\} 2/,
    );
  });
});
