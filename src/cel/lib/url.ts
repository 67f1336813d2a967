// Kubernetes URL library: url(s) parses like Go's url.ParseRequestURI (an absolute URI or an
// absolute path, no fragment handling), with accessors for scheme, host, hostname, port,
// escaped path and query.
import { every, isAlnum, isAsciiLetter, isDigit, isJsSpace, some } from './scan.js';
import type { Environment } from '@marcbachmann/cel-js';
import { buildMap } from './maps-util.js';
import { celError } from './values.js';

export class KubeUrl {
  static readonly celTypeName = 'kubernetes.URL';
  // eslint-disable-next-line max-params -- a plain value record
  constructor(
    readonly text: string,
    readonly scheme: string,
    readonly host: string,
    readonly path: string,
    readonly rawQuery: string,
  ) {}
  toString(): string {
    return this.text;
  }
  equals(o: unknown): boolean {
    return o instanceof KubeUrl && o.text === this.text;
  }
}

/** `scheme:rest` when s starts with [A-Za-z][A-Za-z0-9+.-]* and a colon. */
function splitScheme(s: string): [string, string] | undefined {
  if (!isAsciiLetter(s.charCodeAt(0))) return undefined;
  let i = 1;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (!(isAlnum(c) || c === 0x2b || c === 0x2e || c === 0x2d)) break;
    i++;
  }
  return s[i] === ':' ? [s.slice(0, i), s.slice(i + 1)] : undefined;
}

function fail(s: string, detail: string): never {
  throw celError(`URL parse error during conversion from string: parse ${JSON.stringify(s)}: ${detail}`);
}

export function parseUrl(s: string): KubeUrl {
  if ([...s].some((c) => c.charCodeAt(0) < 0x20 || c === '\x7f')) {
    fail(s, 'net/url: invalid control character in URL');
  }
  const m = splitScheme(s);
  let scheme = '';
  let rest = s;
  if (m) {
    scheme = m[0].toLowerCase();
    rest = m[1];
  } else if (!s.startsWith('/')) fail(s, 'invalid URI for request');
  const q = rest.indexOf('?');
  const rawQuery = q >= 0 ? rest.slice(q + 1) : '';
  let hierPart = q >= 0 ? rest.slice(0, q) : rest;
  let host = '';
  if (hierPart.startsWith('//')) {
    const slash = hierPart.indexOf('/', 2);
    const authority = slash >= 0 ? hierPart.slice(2, slash) : hierPart.slice(2);
    hierPart = slash >= 0 ? hierPart.slice(slash) : '';
    const at = authority.lastIndexOf('@');
    host = at >= 0 ? authority.slice(at + 1) : authority;
    if (host.startsWith('[') && !host.includes(']')) fail(s, "missing ']' in host");
    if (some(host, isJsSpace)) fail(s, 'invalid character " " in host name');
    const port = host.startsWith('[')
      ? host.slice(host.indexOf(']') + 1)
      : host.slice(host.lastIndexOf(':') >= 0 ? host.lastIndexOf(':') : host.length);
    if (port !== '' && (!port.startsWith(':') || !every(port.slice(1), isDigit)))
      fail(s, `invalid port ${JSON.stringify(port)} after host`);
  } else if (scheme !== '' && !hierPart.startsWith('/')) {
    // Opaque URIs such as "mailto:x" parse; their path stays empty.
    hierPart = '';
  }
  if (hierPart.includes(' ')) fail(s, 'invalid URI for request');
  return new KubeUrl(s, scheme, host, hierPart, rawQuery);
}

function hostname(u: KubeUrl): string {
  const h = u.host;
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']'));
  const colon = h.lastIndexOf(':');
  return colon >= 0 ? h.slice(0, colon) : h;
}

function port(u: KubeUrl): string {
  const h = u.host;
  const start = h.startsWith('[') ? h.indexOf(']') + 1 : 0;
  const colon = h.indexOf(':', start);
  return colon >= 0 ? h.slice(colon + 1) : '';
}

function query(u: KubeUrl): unknown {
  const entries: [unknown, unknown][] = [];
  const index = new Map<string, string[]>();
  for (const part of u.rawQuery.split('&')) {
    if (part === '' || part.includes(';')) continue;
    const eq = part.indexOf('=');
    const decode = (x: string): string | undefined => {
      try {
        return decodeURIComponent(x.replaceAll('+', ' '));
      } catch {
        return undefined;
      }
    };
    const k = decode(eq >= 0 ? part.slice(0, eq) : part);
    const v = decode(eq >= 0 ? part.slice(eq + 1) : '');
    if (k === undefined || v === undefined) continue;
    let list = index.get(k);
    if (!list) {
      index.set(k, (list = []));
      entries.push([k, list]);
    }
    list.push(v);
  }
  return buildMap(entries);
}

export function registerUrl(env: Environment): void {
  env.registerType('kubernetes.URL', KubeUrl);
  env.registerFunction('url(string): kubernetes.URL', parseUrl);
  env.registerFunction('isURL(string): bool', (s: string) => {
    try {
      parseUrl(s);
      return true;
    } catch {
      return false;
    }
  });
  env.registerFunction('kubernetes.URL.getScheme(): string', (u: KubeUrl) => u.scheme);
  env.registerFunction('kubernetes.URL.getHost(): string', (u: KubeUrl) => u.host);
  env.registerFunction('kubernetes.URL.getHostname(): string', hostname);
  env.registerFunction('kubernetes.URL.getPort(): string', port);
  env.registerFunction('kubernetes.URL.getEscapedPath(): string', (u: KubeUrl) => u.path);
  env.registerFunction('kubernetes.URL.getQuery(): map<string, list<string>>', query);
}
