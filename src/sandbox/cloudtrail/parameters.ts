// What a CloudTrail event records of a request and of its answer: an allow-list of members, named as CloudTrail names
// them (camelCase), copied with bounded depth and size. Plaintext, ciphertext, messages, signatures, MACs, tokens,
// imported key material and key store passwords are never in the list, so they never reach the trail.
import type { Json } from '../context';
import type { KeyRecord } from '../model';

/** Request members CloudTrail records for KMS operations (the member, as sent). */
const REQUEST_MEMBERS = new Set([
  'KeyId',
  'EncryptionContext',
  'EncryptionAlgorithm',
  'KeySpec',
  'NumberOfBytes',
  'KeyPairSpec',
  'SigningAlgorithm',
  'MessageType',
  'MacAlgorithm',
  'KeyAgreementAlgorithm',
  'GranteePrincipal',
  'RetiringPrincipal',
  'Operations',
  'Constraints',
  'Name',
  'GrantId',
  'AliasName',
  'TargetKeyId',
  'Description',
  'KeyUsage',
  'CustomerMasterKeySpec',
  'Origin',
  'BypassPolicyLockoutSafetyCheck',
  'Tags',
  'TagKeys',
  'PolicyName',
  'Policy',
  'PendingWindowInDays',
  'RotationPeriodInDays',
  'Limit',
  'SourceKeyId',
  'DestinationKeyId',
  'SourceEncryptionContext',
  'DestinationEncryptionContext',
  'SourceEncryptionAlgorithm',
  'DestinationEncryptionAlgorithm',
  'ValidTo',
  'ExpirationModel',
  'WrappingAlgorithm',
  'WrappingKeySpec',
  'DryRun',
  'MultiRegion',
  'KeyMaterialId',
  'ImportType',
  'KeyMaterialDescription',
  'IncludeKeyMaterial',
  'CustomKeyStoreId',
  'ReplicaRegion',
  'PrimaryRegion',
  'OnDemand',
]);

/** Operations whose record names the algorithm even when the request left it to its default, as AWS records them. */
const DEFAULT_ALGORITHM: Partial<Record<string, [string, string][]>> = {
  Encrypt: [['encryptionAlgorithm', 'SYMMETRIC_DEFAULT']],
  Decrypt: [['encryptionAlgorithm', 'SYMMETRIC_DEFAULT']],
  ReEncrypt: [
    ['sourceEncryptionAlgorithm', 'SYMMETRIC_DEFAULT'],
    ['destinationEncryptionAlgorithm', 'SYMMETRIC_DEFAULT'],
  ],
};

/** Members whose objects (or list items) have structure members, named in camelCase as well (not maps of the caller's). */
const STRUCTURED = new Set(['Constraints', 'Tags']);

/** An object's own keys (or each list item's) in camelCase: { EncryptionContextSubset } → { encryptionContextSubset }. */
function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (!value || typeof value !== 'object') return value;
  const out = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(value)) out[k.charAt(0).toLowerCase() + k.slice(1)] = v;
  return out;
}

/** Characters a record may take for its request parameters; beyond that only the key id is kept. */
const MAX_CHARS = 40_000;
const MAX_DEPTH = 4;

/** Allow-listed member names in CloudTrail's spelling (KeyId → keyId), computed once. */
const CAMEL = new Map([...REQUEST_MEMBERS].map((m) => [m, m.charAt(0).toLowerCase() + m.slice(1)]));
const camel = (name: string) => CAMEL.get(name) ?? name.charAt(0).toLowerCase() + name.slice(1);

interface Budget {
  left: number;
}

/** A JSON value copied with plain types only, depth and size bounded; undefined when it does not fit. */
function copy(value: unknown, depth: number, budget: Budget): unknown {
  if (typeof value === 'string') {
    budget.left -= value.length + 2;
    return value;
  }
  budget.left -= 8;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  if (depth >= MAX_DEPTH || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const v of value) {
      if (budget.left < 0) return undefined;
      const c = copy(v, depth + 1, budget);
      if (c !== undefined) out.push(c);
    }
    return out;
  }
  const out = Object.create(null) as Record<string, unknown>;
  for (const k of Object.keys(value)) {
    if (budget.left < 0) return undefined;
    budget.left -= k.length + 3;
    const c = copy((value as Record<string, unknown>)[k], depth + 1, budget);
    if (c !== undefined) out[k] = c;
  }
  return out;
}

/** CloudTrail's requestParameters of a KMS request; undefined for none (recorded as null). On every request's path. */
export function requestParametersOf(operation: string, input: Json | undefined): Record<string, unknown> | undefined {
  if (!input) return undefined;
  // Its names come from the allow-list only, so a plain object is safe (and fast); request maps inside are copied
  // into null-prototype objects.
  const out: Record<string, unknown> = {};
  const budget = { left: MAX_CHARS };
  let any = false;
  for (const member in input) {
    if (!Object.hasOwn(input, member) || !REQUEST_MEMBERS.has(member)) continue;
    const value = input[member];
    let c = typeof value === 'string' ? ((budget.left -= value.length), value) : copy(value, 0, budget);
    if (STRUCTURED.has(member)) c = camelKeys(c);
    if (c === undefined) continue;
    out[camel(member)] = c;
    any = true;
  }
  if (budget.left < 0) return typeof input.KeyId === 'string' ? { keyId: input.KeyId.slice(0, 2048) } : undefined;
  const defaults = DEFAULT_ALGORITHM[operation];
  if (defaults)
    for (const [name, value] of defaults) {
      if (out[name] === undefined) out[name] = value;
      any = true;
    }
  return any ? out : undefined;
}

/** AWS's date format in responseElements: "Nov 29, 2026, 5:48:02 PM" (UTC). */
const FORMAT = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  second: '2-digit',
  hour12: true,
  timeZone: 'UTC',
});
const awsDate = (epochSeconds: unknown) =>
  typeof epochSeconds === 'number' ? FORMAT.format(new Date(epochSeconds * 1000)) : undefined;

/** Members of KeyMetadata CloudTrail records for CreateKey (dates in AWS's format). */
const METADATA_MEMBERS = [
  'AWSAccountId',
  'KeyId',
  'Arn',
  'Enabled',
  'Description',
  'KeyUsage',
  'KeyState',
  'Origin',
  'KeyManager',
  'CustomerMasterKeySpec',
  'KeySpec',
  'EncryptionAlgorithms',
  'SigningAlgorithms',
  'MacAlgorithms',
  'MultiRegion',
  'CurrentKeyMaterialId',
];

/** CloudTrail's responseElements: what AWS records for operations that change a key; undefined (null) otherwise. */
export function responseElementsOf(operation: string, result: Json | undefined): Record<string, unknown> | undefined {
  if (!result) return undefined;
  switch (operation) {
    case 'CreateKey': {
      const meta = result.KeyMetadata as Json | undefined;
      if (!meta) return undefined;
      const out: Json = {};
      for (const m of METADATA_MEMBERS)
        if (meta[m] !== undefined) out[m === 'AWSAccountId' ? 'aWSAccountId' : camel(m)] = meta[m];
      out.creationDate = awsDate(meta.CreationDate);
      return { keyMetadata: out };
    }
    case 'CreateGrant':
      return { grantId: result.GrantId, keyId: result.KeyId };
    case 'ScheduleKeyDeletion':
      return {
        keyId: result.KeyId,
        deletionDate: awsDate(result.DeletionDate),
        keyState: result.KeyState,
        pendingWindowInDays: result.PendingWindowInDays,
      };
    case 'CancelKeyDeletion':
      return { keyId: result.KeyId };
    default:
      return undefined;
  }
}

/**
 * additionalEventData.keyMaterialId: the material a cryptographic operation used, as its answer names it, else (Encrypt
 * answers none) the symmetric key's current material, which is what it encrypted with.
 */
export function keyMaterialIdOf(
  operation: string,
  result: Json | undefined,
  key: KeyRecord | undefined,
): string | undefined {
  if (!result) return undefined;
  // ReEncrypt names both: the event's key material is the one it encrypted under.
  const id = result.KeyMaterialId ?? result.DestinationKeyMaterialId;
  if (typeof id === 'string') return id;
  if (operation !== 'Encrypt' || key?.keySpec !== 'SYMMETRIC_DEFAULT') return undefined;
  return key.materials.at(-1)?.id;
}
