// hack/pin-image-digests.sh with a stand-in `crane` (no registry is needed): digests are added,
// replaced on a second run, and an unresolvable image leaves the Dockerfile unchanged.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./pin-image-digests.sh', import.meta.url));
const DOCKERFILE = 'FROM node:22.1.0-slim AS build\nRUN true\nFROM node:22.1.0-slim\nUSER 65532\n';
let dir = '';

function setup(craneBody: string): { repo: string; env: NodeJS.ProcessEnv } {
  dir = mkdtempSync(join(tmpdir(), 'kro-ts-pin-'));
  const repo = join(dir, 'repo');
  mkdirSync(join(repo, 'hack'), { recursive: true });
  mkdirSync(join(dir, 'bin'));
  copyFileSync(script, join(repo, 'hack/pin-image-digests.sh'));
  writeFileSync(join(repo, 'Dockerfile'), DOCKERFILE);
  writeFileSync(join(dir, 'bin/crane'), `#!/bin/sh\n${craneBody}\n`);
  chmodSync(join(dir, 'bin/crane'), 0o755);
  return { repo, env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env['PATH'] ?? ''}` } };
}

function pin(repo: string, env: NodeJS.ProcessEnv, ...args: string[]): string {
  return execFileSync('bash', [join(repo, 'hack/pin-image-digests.sh'), ...args], {
    env,
    encoding: 'utf8',
    stdio: 'pipe',
  });
}

afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('hack/pin-image-digests.sh', () => {
  it('pins every FROM to the resolved digest and re-pins on the next run', () => {
    const { repo, env } = setup(`echo sha256:$(printf 'a%.0s' $(seq 64))`);
    pin(repo, env);
    const a = `sha256:${'a'.repeat(64)}`;
    expect(readFileSync(join(repo, 'Dockerfile'), 'utf8')).toBe(
      `FROM node:22.1.0-slim@${a} AS build\nRUN true\nFROM node:22.1.0-slim@${a}\nUSER 65532\n`,
    );
    writeFileSync(join(dir, 'bin/crane'), `#!/bin/sh\necho sha256:${'b'.repeat(64)}\n`);
    pin(repo, env);
    expect(readFileSync(join(repo, 'Dockerfile'), 'utf8')).not.toContain(a);
    expect(readFileSync(join(repo, 'Dockerfile'), 'utf8').match(/@sha256:b{64}/g)).toHaveLength(2);
  });

  it('leaves the Dockerfile unchanged and exits 0 when nothing resolves (1 with --strict)', () => {
    const { repo, env } = setup('exit 1');
    // Every way to reach a registry fails: crane (above), skopeo, docker buildx, curl.
    for (const tool of ['skopeo', 'docker', 'curl']) {
      writeFileSync(join(dir, 'bin', tool), '#!/bin/sh\nexit 6\n');
      chmodSync(join(dir, 'bin', tool), 0o755);
    }
    expect(pin(repo, env)).toBe('');
    expect(readFileSync(join(repo, 'Dockerfile'), 'utf8')).toBe(DOCKERFILE);
    expect(() => pin(repo, env, '--strict')).toThrow();
  });
});
