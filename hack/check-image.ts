// A structural lint of the Dockerfile (hadolint is not packaged here) and the runtime stage's copy
// list, which test/e2e/image.test.ts replays to prove `node dist/main.js` runs from exactly those
// files.
//   npx tsx hack/check-image.ts [Dockerfile]   prints each issue; exit 1 when there is any
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Instruction {
  readonly line: number;
  readonly keyword: string;
  readonly args: string;
}

export interface Stage {
  readonly image: string;
  readonly name: string | undefined;
  readonly instructions: readonly Instruction[];
}

export interface CopySpec {
  /** Stage name for `COPY --from=<stage>`, undefined for the build context. */
  readonly from: string | undefined;
  readonly sources: readonly string[];
  readonly dest: string;
}

/** Splits a Dockerfile into instructions (continuations joined, comments dropped). */
export function parseInstructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    while (line.endsWith('\\') && i + 1 < lines.length) {
      i += 1;
      const next = lines[i]!.trim();
      // A comment (or blank) line inside a continuation is dropped and the continuation goes on.
      if (next.startsWith('#') || next === '') continue;
      line = line.slice(0, -1).trimEnd() + ' ' + next;
    }
    const m = /^(\S+)\s*(.*)$/.exec(line);
    if (m) out.push({ line: start, keyword: m[1]!.toUpperCase(), args: m[2]!.trim() });
  }
  return out;
}

export function parseStages(text: string): Stage[] {
  const stages: { image: string; name: string | undefined; instructions: Instruction[] }[] = [];
  for (const ins of parseInstructions(text)) {
    if (ins.keyword === 'FROM') {
      const parts = ins.args.split(/\s+/).filter((p) => !p.startsWith('--'));
      const as = parts.findIndex((p) => p.toUpperCase() === 'AS');
      stages.push({ image: parts[0] ?? '', name: as >= 0 ? parts[as + 1] : undefined, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(ins);
    }
  }
  return stages;
}

export function parseCopy(args: string): CopySpec {
  const words = args.startsWith('[') ? (JSON.parse(args) as string[]) : args.split(/\s+/);
  const flags = words.filter((w) => w.startsWith('--'));
  const paths = words.filter((w) => !w.startsWith('--'));
  const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
  return { from, sources: paths.slice(0, -1), dest: paths.at(-1) ?? '' };
}

/** The COPY instructions of the final stage: what the image runs from. */
export function runtimeCopies(text: string): CopySpec[] {
  const last = parseStages(text).at(-1);
  return (last?.instructions ?? []).filter((i) => i.keyword === 'COPY').map((i) => parseCopy(i.args));
}

const PINNED_TAG = /^[^@\s]+:[^@:/\s]*\d[^@:/\s]*(@sha256:[0-9a-f]{64})?$/;

function checkFrom(stage: Stage, earlier: ReadonlySet<string>): string[] {
  if (earlier.has(stage.image)) return [];
  if (stage.image.includes('$')) return [`FROM ${stage.image}: use a literal image so it can be pinned`];
  if (/:latest(@|$)/.test(stage.image)) return [`FROM ${stage.image}: the latest tag is not allowed`];
  if (!PINNED_TAG.test(stage.image))
    return [`FROM ${stage.image}: pin an exact version tag (e.g. node:22.1.0-slim)`];
  return [];
}

function checkFinalStage(stage: Stage): string[] {
  const issues: string[] = [];
  const user = stage.instructions.filter((i) => i.keyword === 'USER').at(-1);
  if (!user) issues.push('final stage: no USER (the image must not run as root)');
  else if (!/^\d+(:\d+)?$/.test(user.args))
    issues.push(`final stage: USER ${user.args} must be a numeric UID[:GID]`);
  else if (/^0(:|$)/.test(user.args)) issues.push('final stage: USER 0 is root');
  const entry = stage.instructions.filter((i) => i.keyword === 'ENTRYPOINT').at(-1);
  if (!entry?.args.startsWith('[')) issues.push('final stage: ENTRYPOINT must use the exec (JSON) form');
  else if (JSON.stringify(JSON.parse(entry.args)) !== JSON.stringify(['node', 'dist/main.js'])) {
    issues.push(`final stage: ENTRYPOINT ${entry.args} should be ["node", "dist/main.js"]`);
  }
  for (const ins of stage.instructions) {
    if (ins.keyword === 'RUN' && /\bnpm (ci|install|i)\b/.test(ins.args)) {
      issues.push(`line ${ins.line}: final stage installs packages; copy them from a deps stage`);
    }
  }
  return issues;
}

function checkInstructions(stages: readonly Stage[]): string[] {
  const issues: string[] = [];
  const names = new Set<string>();
  for (const stage of stages) {
    for (const ins of stage.instructions) {
      if (ins.keyword === 'ADD') issues.push(`line ${ins.line}: use COPY, not ADD`);
      if (ins.keyword === 'RUN' && /\b(curl|wget)\b[^|]*\|\s*(ba)?sh\b/.test(ins.args)) {
        issues.push(`line ${ins.line}: piping a download into a shell`);
      }
      if (ins.keyword === 'RUN' && /\bsudo\b/.test(ins.args)) issues.push(`line ${ins.line}: sudo`);
      if (ins.keyword === 'COPY') {
        const from = parseCopy(ins.args).from;
        if (from !== undefined && !names.has(from))
          issues.push(`line ${ins.line}: COPY --from=${from} is not an earlier stage`);
      }
    }
    if (stage.name) names.add(stage.name);
  }
  return issues;
}

function checkDockerignore(dir: string): string[] {
  const file = join(dir, '.dockerignore');
  if (!existsSync(file)) return ['.dockerignore is missing'];
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  if (lines[0] === '*')
    return lines.some((l) => /^!(node_modules|\.git|dist)\b/.test(l))
      ? ['.dockerignore re-includes node_modules, dist or .git']
      : [];
  const missing = ['node_modules', '.git', 'dist'].filter(
    (p) => !lines.some((l) => l.replace(/^\/|\/$/g, '') === p),
  );
  return missing.map((p) => `.dockerignore does not exclude ${p}`);
}

/** Every issue found in the Dockerfile text (and the .dockerignore beside it when `dir` is given). */
export function lintDockerfile(text: string, dir?: string): string[] {
  const stages = parseStages(text);
  const issues: string[] = [];
  if (stages.length < 2) issues.push('not a multi-stage build (build and runtime stages expected)');
  const earlier = new Set<string>();
  for (const s of stages) {
    issues.push(...checkFrom(s, earlier));
    if (s.name) earlier.add(s.name);
  }
  issues.push(...checkInstructions(stages));
  const last = stages.at(-1);
  if (last) issues.push(...checkFinalStage(last));
  if (dir !== undefined) issues.push(...checkDockerignore(dir));
  return issues;
}

function main(): void {
  const file = process.argv[2] ?? fileURLToPath(new URL('../Dockerfile', import.meta.url));
  const issues = lintDockerfile(readFileSync(file, 'utf8'), dirname(file));
  for (const i of issues) process.stderr.write(`${file}: ${i}\n`);
  if (issues.length > 0) process.exit(1);
  process.stdout.write(`${file}: ok (${runtimeCopies(readFileSync(file, 'utf8')).length} runtime copies)\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
