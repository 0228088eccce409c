// Every KMS operation's input members and their JSON types, read from the runtime schemas of @aws-sdk/client-kms
// (the service model the SDK is built from). Used by gen-sandbox-shapes.mjs and the sandbox's hostile-input tests.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Smithy's simple schema codes → the sandbox's letters: s string, n number, b boolean, B blob, t timestamp, d document. */
function simple(code) {
  if (code & 64) return { list: simple(code & ~64) };
  if (code & 128) return { map: simple(code & ~128) };
  if (code === 0) return 's';
  if (code === 1 || code === 17 || code === 19) return 'n';
  if (code === 2) return 'b';
  if (code === 21 || code === 42) return 'B';
  if (code >= 4 && code <= 7) return 't';
  if (code === 15) return 'd';
  throw new Error(`unknown schema code ${code}`);
}

function shape(ref, seen = new Set()) {
  if (typeof ref === 'function') ref = ref();
  if (typeof ref === 'number') return simple(ref);
  if (typeof ref[0] === 'function') return shape(ref[0], seen); // a member with traits: [() => schema, traits]
  const [kind] = ref;
  if (kind === 0) return shape(ref[4], seen);
  if (kind === 1) return { list: shape(ref[4], seen) };
  if (kind === 2) return { map: shape(ref[5], seen) };
  if (kind === 3) {
    if (seen.has(ref)) throw new Error(`recursive shape ${ref[2]}`);
    const members = {};
    ref[4].forEach((name, i) => (members[name] = shape(ref[5][i], new Set([...seen, ref]))));
    return { struct: members };
  }
  throw new Error(`unknown schema kind ${kind} (${ref[2]})`);
}

/** Operation name → its input members' shapes (see src/sandbox/validate.ts's MemberShape). */
export function inputShapes() {
  const kms = require('@aws-sdk/client-kms');
  const operations = {};
  for (const [name, value] of Object.entries(kms).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!name.endsWith('$') || !Array.isArray(value) || value[0] !== 9) continue;
    operations[value[2]] = shape(value[4]).struct;
  }
  return operations;
}

export const sdkVersion = () => require('@aws-sdk/client-kms/package.json').version;
