import { fileURLToPath } from 'node:url';

/** The repository root (test/e2e/lib/../../..). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
