import { defineConfig } from 'vitest/config';

// Four tiers (see README): unit tests sit beside the code and need nothing; integration tests
// run against a real etcd + kube-apiserver started once per run by test/harness/global-setup.ts;
// e2e tests run against any kubeconfig with the operator as a separate process; the differential
// tier compares kro-ts with kro itself on a corpus; e2e-node runs the operator as a pod on a real node.
// KRO_TS_E2E_NODE=0 leaves the in-cluster tier out even as root; =1 keeps it in (and fails
// clearly) when not root.
const nodeTier =
  process.env['KRO_TS_E2E_NODE'] === '1' ||
  (process.env['KRO_TS_E2E_NODE'] !== '0' && process.getuid?.() === 0);
if (!nodeTier && process.env['VITEST_WORKER_ID'] === undefined) {
  process.stderr.write(
    process.env['KRO_TS_E2E_NODE'] === '0'
      ? 'vitest: the in-cluster tier (test/e2e-node) is left out: KRO_TS_E2E_NODE=0\n'
      : 'vitest: the in-cluster tier (test/e2e-node, a real node) needs root; not run (KRO_TS_E2E_NODE=1 forces it)\n',
  );
}

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'hack/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/harness/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // One control plane per run; test files share it and isolate by namespace/API group.
          fileParallelism: true,
          maxWorkers: 2,
        },
      },
      // The in-cluster tier: a real node, the operator as a pod from deploy/install.yaml with the
      // image built from the Dockerfile. Needs root (containers); left out otherwise (said below).
      ...(nodeTier
        ? [
            {
              test: {
                name: 'e2e-node',
                include: ['test/e2e-node/**/*.test.ts'],
                sequence: { groupOrder: 2 },
                environment: 'node',
                globalSetup: ['test/e2e-node/setup.ts'],
                testTimeout: 300_000,
                hookTimeout: 1_800_000,
                fileParallelism: false,
              },
            },
          ]
        : []),
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // After unit and integration (group 0): the e2e operator runs as a separate process and
          // should not compete with the in-process operators of the integration tests.
          sequence: { groupOrder: 1 },
          environment: 'node',
          globalSetup: ['test/harness/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'differential',
          include: ['test/differential/**/*.test.ts'],
          // Last (after e2e and the in-cluster tier, never beside them): starts control planes of
          // its own, one served by kro v0.9.4 (hack/kro/build.sh), one by kro-ts, and compares
          // them (README "Differential testing against kro").
          sequence: { groupOrder: 3 },
          environment: 'node',
          testTimeout: 900_000,
          hookTimeout: 900_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
