// cel-js messages in cel-go words where the difference is visible to users: type names are
// spelled `list(string)`/`map(string, int)`/`optional_type(T)`/`null_type`/`timestamp`, an unknown
// field at check time reads `undefined field 'f'`, a missing key at run time `no such key: k`.
import { fromCelJsTypeName } from './types.js';

const noObjects = new Map<string, never>();
const NO_SUCH_KEY = 'No such key: ';
const GENERIC = /\b(list|map|optional|dyn)</g;

// Rewrites every cel-js generic type (`map<string, list<int>>`) in the text, brackets balanced.
function translateGenerics(message: string): string {
  let out = '';
  let from = 0;
  for (const m of message.matchAll(GENERIC)) {
    if (m.index < from) continue;
    let depth = 0;
    let end = -1;
    for (let i = m.index + m[0].length - 1; i < message.length; i++) {
      if (message[i] === '<') depth++;
      else if (message[i] === '>' && --depth === 0) {
        end = i + 1;
        break;
      }
    }
    if (end < 0) break;
    out += message.slice(from, m.index) + String(fromCelJsTypeName(message.slice(m.index, end), noObjects));
    from = end;
  }
  return out + message.slice(from);
}

function translateTypeNames(message: string): string {
  return translateGenerics(message)
    .replace(/\bgoogle\.protobuf\.Timestamp\b/g, 'timestamp')
    .replace(/\bgoogle\.protobuf\.Duration\b/g, 'duration')
    .replace(/'null'/g, "'null_type'");
}

/** A type-check message. */
export function translateCheckMessage(summary: string): string {
  if (summary.startsWith(NO_SUCH_KEY)) return `undefined field '${summary.slice(NO_SUCH_KEY.length)}'`;
  return translateTypeNames(summary);
}

/** A run-time message. */
export function translateRuntimeMessage(summary: string): string {
  if (summary.startsWith(NO_SUCH_KEY)) return `no such key: ${summary.slice(NO_SUCH_KEY.length)}`;
  return translateTypeNames(summary);
}
