// The operator's process-level handlers (issue 14), tested on the real entry point in a
// subprocess: src/main.ts runs (through tsx) with a kubeconfig pointing at a closed port, so it
// waits for the API server; a preloaded fixture then leaves a rejection unhandled or throws from a
// timer. The process must log the error as a structured line and exit with CRASH_EXIT_CODE.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CRASH_EXIT_CODE } from './process-handlers.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'kro-ts-crash-'));
const kubeconfig = join(dir, 'kubeconfig');
writeFileSync(
  kubeconfig,
  [
    'apiVersion: v1',
    'kind: Config',
    'clusters: [{name: c, cluster: {server: "https://127.0.0.1:9", insecure-skip-tls-verify: true}}]',
    'users: [{name: u, user: {token: t}}]',
    'contexts: [{name: x, context: {cluster: c, user: u}}]',
    'current-context: x',
  ].join('\n'),
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runOperatorWith(fixture: string) {
  return spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      join(repo, 'test/fixtures/process', fixture),
      join(repo, 'src/main.ts'),
      `--kubeconfig=${kubeconfig}`,
      '--health-probe-bind-address=127.0.0.1:0',
      '--metrics-bind-address=0',
      '--leader-elect=false',
    ],
    { cwd: repo, encoding: 'utf8', timeout: 60_000 },
  );
}

describe('process-level handlers of the operator', () => {
  it.each([
    ['stray-rejection.mjs', 'Unhandled promise rejection; exiting', 'stray rejection from a test fixture'],
    ['stray-throw.mjs', 'Uncaught exception; exiting', 'uncaught exception from a test fixture'],
  ])(
    '%s: logs one structured fatal line and exits non-zero',
    (fixture, msg, cause) => {
      const r = runOperatorWith(fixture);
      expect(r.error).toBeUndefined();
      expect(r.status).toBe(CRASH_EXIT_CODE);
      const lines = r.stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const fatal = lines.find((l) => l['msg'] === msg);
      expect(fatal, `stdout: ${r.stdout}\nstderr: ${r.stderr}`).toBeDefined();
      expect(JSON.stringify(fatal?.['err'])).toContain(cause);
      // Node's own crash report (which prints the throw site and "Node.js v22…") is not reached.
      expect(r.stderr).not.toContain('Node.js v');
    },
    90_000,
  );
});
