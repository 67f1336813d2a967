// A user-facing failure reading RGD sources (unreadable file, bad YAML, no RGD in a file). The CLI
// prints its message and exits 1; the language server turns what it can into diagnostics instead.

export class SourceError extends Error {
  readonly code = 'SourceError';
}
