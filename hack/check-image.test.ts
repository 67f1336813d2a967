import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lintDockerfile, parseInstructions, runtimeCopies } from './check-image.js';

const repo = fileURLToPath(new URL('../', import.meta.url));
const dockerfile = readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8');

const GOOD = `FROM node:22.1.0-slim AS build
RUN npm ci && npm run build
FROM node:22.1.0-slim
COPY --from=build /app/dist ./dist
USER 65532:65532
ENTRYPOINT ["node", "dist/main.js"]
`;

describe('hack/check-image', () => {
  it('accepts the repository Dockerfile and .dockerignore', () => {
    expect(lintDockerfile(dockerfile, repo)).toEqual([]);
  });

  it('lists what the runtime stage copies', () => {
    expect(runtimeCopies(dockerfile)).toEqual(
      expect.arrayContaining([
        { from: undefined, sources: ['package.json'], dest: './' },
        { from: 'prod-deps', sources: ['/app/node_modules'], dest: './node_modules' },
        { from: 'build', sources: ['/app/dist'], dest: './dist' },
      ]),
    );
  });

  it('joins continuation lines and skips comments', () => {
    expect(parseInstructions('# c\nRUN a \\\n  # inner\n  b\nUSER 1')).toEqual([
      { line: 2, keyword: 'RUN', args: 'a b' },
      { line: 5, keyword: 'USER', args: '1' },
    ]);
  });

  it.each([
    [
      'single stage',
      'FROM node:22.1.0-slim\nUSER 65532\nENTRYPOINT ["node", "dist/main.js"]',
      'not a multi-stage build',
    ],
    [
      'latest tag',
      GOOD.replace('node:22.1.0-slim AS build', 'node:latest AS build'),
      'latest tag is not allowed',
    ],
    ['untagged', GOOD.replace('node:22.1.0-slim AS build', 'node AS build'), 'pin an exact version tag'],
    [
      'floating tag',
      GOOD.replace('FROM node:22.1.0-slim\n', 'FROM gcr.io/distroless/nodejs22-debian12:nonroot\n'),
      'pin an exact version tag',
    ],
    ['no USER', GOOD.replace('USER 65532:65532\n', ''), 'no USER'],
    ['named USER', GOOD.replace('USER 65532:65532', 'USER node'), 'must be a numeric UID'],
    ['root USER', GOOD.replace('USER 65532:65532', 'USER 0:0'), 'USER 0 is root'],
    [
      'shell ENTRYPOINT',
      GOOD.replace('ENTRYPOINT ["node", "dist/main.js"]', 'ENTRYPOINT node dist/main.js'),
      'exec (JSON) form',
    ],
    ['ADD', GOOD.replace('COPY --from', 'ADD --from'), 'use COPY, not ADD'],
    ['unknown stage', GOOD.replace('--from=build', '--from=builder'), 'not an earlier stage'],
    ['npm in runtime', GOOD.replace('USER', 'RUN npm install\nUSER'), 'final stage installs packages'],
    ['curl | sh', GOOD.replace('RUN npm ci', 'RUN curl -fsSL https://x | sh && npm ci'), 'piping a download'],
  ])('rejects %s', (_name, text, message) => {
    expect(lintDockerfile(text).join('\n')).toContain(message);
  });

  it('accepts digests after an exact tag', () => {
    const pinned = GOOD.replaceAll('node:22.1.0-slim', `node:22.1.0-slim@sha256:${'a'.repeat(64)}`);
    expect(lintDockerfile(pinned)).toEqual([]);
  });
});
