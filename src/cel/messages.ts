// cel-js messages in cel-go words where the difference is visible to users: type names are
// spelled `list(string)`/`map(string, int)`/`optional_type(T)`/`null_type`/`timestamp`, an unknown
// field at check time reads `undefined field 'f'`, a missing key at run time `no such key: k`.
import { fromCelJsTypeName } from './types.js';

const noObjects = new Map<string, never>();
const NO_SUCH_KEY = 'No such key: ';

function translateTypeNames(message: string): string {
  return message.replace(/'([^']+)'/g, (all, name: string) => {
    if (!/^[\w.@#<>, ]+$/.test(name)) return all;
    if (!/[<>]|^(null|google\.protobuf\.(Timestamp|Duration))$/.test(name)) return all;
    return `'${String(fromCelJsTypeName(name, noObjects))}'`;
  });
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
