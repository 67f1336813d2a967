// Kubernetes IP and CIDR libraries, after Go's net/netip with Kubernetes' stricter parsing: no
// zones, no IPv4-mapped IPv6 addresses, no leading zeros in IPv4 octets. Addresses are kept as
// 4 or 16 bytes; string forms are canonical (RFC 5952 for IPv6).
import { every, isCanonicalNumber, isDigits, isHexDigit } from './scan.js';
import type { Environment } from '@marcbachmann/cel-js';
import { registerNamespaced } from './namespace.js';
import { celError } from './values.js';

export class IpAddress {
  static readonly celTypeName = 'net.IP';
  constructor(readonly bytes: Uint8Array) {}
  get is4(): boolean {
    return this.bytes.length === 4;
  }
  toString(): string {
    return formatIp(this.bytes);
  }
  equals(o: unknown): boolean {
    return o instanceof IpAddress && o.toString() === this.toString();
  }
}

export class Cidr {
  static readonly celTypeName = 'net.CIDR';
  constructor(
    readonly ip: IpAddress,
    readonly prefix: number,
  ) {}
  toString(): string {
    return `${this.ip.toString()}/${this.prefix}`;
  }
  equals(o: unknown): boolean {
    return o instanceof Cidr && o.toString() === this.toString();
  }
}

function parseIpv4(s: string): Uint8Array | string {
  const parts = s.split('.');
  if (parts.length < 4) return 'IPv4 address too short';
  if (parts.length > 4) return 'IPv4 address too long';
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i] ?? '';
    if (p.length > 3 || !isDigits(p)) return 'unexpected character';
    if (p.length > 1 && p.startsWith('0')) return 'IPv4 field has octet with leading zero';
    const n = Number(p);
    if (n > 255) return 'IPv4 field has value >255';
    out[i] = n;
  }
  return out;
}

function parseIpv6(s: string): Uint8Array | string {
  if (s.includes('%')) return 'IPv6 zone not allowed';
  const halves = s.split('::');
  if (halves.length > 2) return 'multiple :: in address';
  const groups = (h: string): string[] => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  const words: number[] = [];
  const pushGroups = (gs: string[]): string | undefined => {
    for (const [i, g] of gs.entries()) {
      if (g.includes('.') && i === gs.length - 1) {
        const v4 = parseIpv4(g);
        if (typeof v4 === 'string') return v4;
        words.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
        continue;
      }
      if (g === '' || g.length > 4 || !every(g, isHexDigit))
        return 'each colon-separated field must have at least one digit';
      words.push(parseInt(g, 16));
    }
    return undefined;
  };
  const e1 = pushGroups(head);
  if (e1) return e1;
  const headLen = words.length;
  const e2 = pushGroups(tail);
  if (e2) return e2;
  if (halves.length === 2) {
    if (words.length > 7) return 'address string too long';
    words.splice(headLen, 0, ...new Array<number>(8 - words.length).fill(0));
  } else if (words.length !== 8) return 'address string too short';
  const out = new Uint8Array(16);
  words.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}

export function parseIp(s: string): IpAddress {
  const bytes = s.includes(':') ? parseIpv6(s) : parseIpv4(s);
  const fail = (detail: string): never => {
    throw celError(
      `IP Address ${JSON.stringify(s)} parse error during conversion from string: ParseAddr(${JSON.stringify(s)}): ${detail}`,
    );
  };
  if (typeof bytes === 'string') return fail(bytes);
  if (
    bytes.length === 16 &&
    bytes.slice(0, 10).every((b) => b === 0) &&
    bytes[10] === 0xff &&
    bytes[11] === 0xff
  ) {
    throw celError(`IPv4-mapped IPv6 address ${JSON.stringify(s)} is not allowed`);
  }
  return new IpAddress(bytes);
}

function formatIp(b: Uint8Array): string {
  if (b.length === 4) return [...b].join('.');
  const words = Array.from({ length: 8 }, (_, i) => ((b[2 * i] ?? 0) << 8) | (b[2 * i + 1] ?? 0));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

export function parseCidr(s: string): Cidr {
  const fail = (detail: string): never => {
    throw celError(
      `network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix(${JSON.stringify(s)}): ${detail}`,
    );
  };
  const slash = s.lastIndexOf('/');
  if (slash < 0) return fail("no '/'");
  let ip: IpAddress;
  try {
    ip = parseIp(s.slice(0, slash));
  } catch (e) {
    return fail((e as Error).message);
  }
  const bits = s.slice(slash + 1);
  const max = ip.is4 ? 32 : 128;
  if (!isCanonicalNumber(bits) || Number(bits) > max)
    return fail(`bad bits after slash: ${JSON.stringify(bits)}`);
  return new Cidr(ip, Number(bits));
}

function masked(c: Cidr): Cidr {
  const b = new Uint8Array(c.ip.bytes);
  for (let i = 0; i < b.length * 8; i++) {
    if (i >= c.prefix) b[i >> 3] = (b[i >> 3] ?? 0) & ~(0x80 >> (i & 7));
  }
  return new Cidr(new IpAddress(b), c.prefix);
}

function containsIp(c: Cidr, ip: IpAddress): boolean {
  if (ip.bytes.length !== c.ip.bytes.length) return false;
  return masked(new Cidr(ip, c.prefix)).ip.equals(masked(c).ip);
}

function containsCidr(c: Cidr, other: Cidr): boolean {
  return other.prefix >= c.prefix && containsIp(c, other.ip);
}

const isLoopback = (ip: IpAddress): boolean =>
  ip.is4 ? ip.bytes[0] === 127 : ip.bytes.slice(0, 15).every((x) => x === 0) && ip.bytes[15] === 1;
const isUnspecified = (ip: IpAddress): boolean => ip.bytes.every((x) => x === 0);
const isLinkLocalUnicast = (ip: IpAddress): boolean =>
  ip.is4
    ? ip.bytes[0] === 169 && ip.bytes[1] === 254
    : ip.bytes[0] === 0xfe && ((ip.bytes[1] ?? 0) & 0xc0) === 0x80;
const isLinkLocalMulticast = (ip: IpAddress): boolean =>
  ip.is4
    ? ip.bytes[0] === 224 && ip.bytes[1] === 0 && ip.bytes[2] === 0
    : ip.bytes[0] === 0xff && ((ip.bytes[1] ?? 0) & 0x0f) === 0x02;
const isMulticast = (ip: IpAddress): boolean =>
  ip.is4 ? ((ip.bytes[0] ?? 0) & 0xf0) === 0xe0 : ip.bytes[0] === 0xff;
const isGlobalUnicast = (ip: IpAddress): boolean =>
  !(ip.is4 && ip.bytes.every((x) => x === 255)) &&
  !isUnspecified(ip) &&
  !isLoopback(ip) &&
  !isMulticast(ip) &&
  !isLinkLocalUnicast(ip);

const succeeds = (f: () => unknown): boolean => {
  try {
    f();
    return true;
  } catch {
    return false;
  }
};

export function registerIp(env: Environment): void {
  const I = 'net.IP';
  const C = 'net.CIDR';
  env.registerType(I, IpAddress);
  env.registerType(C, Cidr);
  env.registerFunction(`ip(string): ${I}`, parseIp);
  env.registerFunction('isIP(string): bool', (s: string) => succeeds(() => parseIp(s)));
  registerNamespaced(env, 'ip.isCanonical(string): bool', (s: string) => parseIp(s).toString() === s);
  env.registerFunction(`${I}.family(): int`, (ip: IpAddress) => (ip.is4 ? 4n : 6n));
  env.registerFunction(`${I}.isUnspecified(): bool`, isUnspecified);
  env.registerFunction(`${I}.isLoopback(): bool`, isLoopback);
  env.registerFunction(`${I}.isLinkLocalMulticast(): bool`, isLinkLocalMulticast);
  env.registerFunction(`${I}.isLinkLocalUnicast(): bool`, isLinkLocalUnicast);
  env.registerFunction(`${I}.isGlobalUnicast(): bool`, isGlobalUnicast);
  env.registerFunction(`string(${I}): string`, (ip: IpAddress) => ip.toString());
  env.registerFunction(`cidr(string): ${C}`, parseCidr);
  env.registerFunction('isCIDR(string): bool', (s: string) => succeeds(() => parseCidr(s)));
  env.registerFunction(`${C}.containsIP(${I}): bool`, containsIp);
  env.registerFunction(`${C}.containsIP(string): bool`, (c: Cidr, s: string) => containsIp(c, parseIp(s)));
  env.registerFunction(`${C}.containsCIDR(${C}): bool`, containsCidr);
  env.registerFunction(`${C}.containsCIDR(string): bool`, (c: Cidr, s: string) =>
    containsCidr(c, parseCidr(s)),
  );
  env.registerFunction(`${C}.ip(): ${I}`, (c: Cidr) => c.ip);
  env.registerFunction(`${C}.masked(): ${C}`, masked);
  env.registerFunction(`${C}.prefixLength(): int`, (c: Cidr) => BigInt(c.prefix));
  env.registerFunction(`string(${C}): string`, (c: Cidr) => c.toString());
}
