// Pure GraphRevision rules shared by the RGD controller and its tests: object names and the
// retention floor of --rgd-max-graph-revisions (kro v0.9.4's arithmetic).

const MAX_NAME = 253;

function fnv32a(text: string): string {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * `<rgd>-r00001`. A name that would pass 253 characters is cut and given an FNV-32a suffix of
 * the full RGD name; dots and hyphens left at the cut are trimmed so the name stays valid.
 */
export function graphRevisionName(rgdName: string, revision: number): string {
  const plain = `-r${String(revision).padStart(5, '0')}`;
  if (rgdName.length + plain.length <= MAX_NAME) return rgdName + plain;
  const suffix = `${plain}-${fnv32a(rgdName)}`;
  const cut = rgdName.slice(0, MAX_NAME - suffix.length).replace(/[.-]+$/u, '');
  return (cut === '' ? 'gr' : cut) + suffix;
}

/**
 * The revision numbers to delete so that at most `max` remain (the newest are kept). `max <= 0`
 * keeps everything.
 */
export function revisionsToPrune(revisions: readonly number[], max: number): number[] {
  if (max <= 0 || revisions.length <= max) return [];
  const sorted = [...revisions].sort((a, b) => a - b);
  const floor = sorted[sorted.length - max] ?? 0;
  return sorted.filter((r) => r < floor);
}
