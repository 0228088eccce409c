// Authorization of every KMS operation, one step before its handler: the operation's row in OPERATIONS says which
// key(s) it acts on and which condition keys its request sets; the decision is AWS's (src/policy): an explicit Deny
// in the key policy or the caller's IAM policies wins; else the key policy allowing the caller, or allowing the
// account with the caller's IAM policies allowing too, or a grant for the caller, allows. Operations on no key are
// decided by IAM policies alone (the root user may do them). Grant tokens only prove a grant exists (validated by
// the handlers); they neither narrow nor widen what their bearer may do.
import {
  accessDeniedMessage,
  decideAccess,
  parsePolicy,
  PolicyError,
  RequestContext as PolicyContext,
  type Decision,
  type Policy,
  type Principal,
} from '../policy';
import { parseBlob } from './ciphertext';
import { aliasArn, keyArn, type Json, type RequestContext } from './context';
import { KmsError } from './errors';
import { globalContext, identityPoliciesOf, type CallerIdentity } from './iam/principals';
import type { GrantRecord, KeyRecord } from './model';
import { CONTEXT_OPERATIONS } from './operations/grants';
import { defaultKeyPolicy } from './operations/policy';
import { lookupKey } from './resolve';

/** A key an operation acts on: the member naming it, how, and the grant operation name that covers it. */
interface KeyTarget {
  member: string;
  /** The kms: action for this key (ReEncrypt checks ReEncryptFrom and ReEncryptTo). */
  action?: string;
  aliases: boolean;
  /** The member holding the encryption context that applies to this key. */
  contextMember?: string;
  /** Decrypt and ReEncrypt may name the key by the ciphertext alone. */
  fromCiphertext?: string;
}

interface OperationRule {
  keys: KeyTarget[];
  /** Condition keys this operation's request sets (beyond the global keys and the key's own). */
  conditions?: (input: Json) => Array<[string, string | string[] | undefined]>;
  /** Actions on an alias resource, checked against IAM policies (alias operations). */
  aliasMembers?: string[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const bool = (v: unknown): string | undefined => (typeof v === 'boolean' ? String(v) : undefined);
const int = (v: unknown): string | undefined => (typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined);
const strList = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined;

/** An encryption context member, when it is a flat string map (the handler refuses anything else). */
function contextOf(input: Json, member: string): Record<string, string> | undefined {
  const v = input[member];
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'string') return undefined;
    out[k] = x;
  }
  return out;
}

const KEY = (aliases: boolean, extra: Partial<KeyTarget> = {}): KeyTarget[] => [{ member: 'KeyId', aliases, ...extra }];
const ENCRYPTION = (input: Json): Array<[string, string | undefined]> => [
  ['kms:EncryptionAlgorithm', str(input.EncryptionAlgorithm) ?? 'SYMMETRIC_DEFAULT'],
];
const SIGNING = (input: Json): Array<[string, string | undefined]> => [
  ['kms:SigningAlgorithm', str(input.SigningAlgorithm)],
  ['kms:MessageType', str(input.MessageType) ?? 'RAW'],
];
const MAC = (input: Json): Array<[string, string | undefined]> => [['kms:MacAlgorithm', str(input.MacAlgorithm)]];
const PAIR = (input: Json): Array<[string, string | undefined]> => [
  ['kms:DataKeyPairSpec', str(input.KeyPairSpec)],
  ['kms:EncryptionAlgorithm', 'SYMMETRIC_DEFAULT'],
];
const BYPASS = (input: Json): Array<[string, string | undefined]> => [
  ['kms:BypassPolicyLockoutSafetyCheck', bool(input.BypassPolicyLockoutSafetyCheck) ?? 'false'],
];

function requestTags(input: Json): Array<[string, string | string[] | undefined]> {
  const tags = Array.isArray(input.Tags) ? input.Tags : [];
  const out: Array<[string, string | string[] | undefined]> = [];
  const keys: string[] = [];
  for (const t of tags) {
    if (typeof t !== 'object' || t === null) continue;
    const k = str((t as Json).TagKey);
    const v = str((t as Json).TagValue);
    if (k === undefined) continue;
    keys.push(k);
    out.push([`aws:RequestTag/${k}`, v]);
  }
  if (keys.length) out.push(['aws:TagKeys', keys]);
  return out;
}

function grantConditions(input: Json): Array<[string, string | string[] | undefined]> {
  const c =
    typeof input.Constraints === 'object' && input.Constraints !== null ? (input.Constraints as Json) : undefined;
  const types = c ? ['EncryptionContextEquals', 'EncryptionContextSubset'].filter((t) => c[t] !== undefined) : [];
  return [
    ['kms:GrantOperations', strList(input.Operations)],
    ['kms:GranteePrincipal', str(input.GranteePrincipal)],
    ['kms:RetiringPrincipal', str(input.RetiringPrincipal)],
    ['kms:GrantIsForAWSResource', 'false'],
    ['kms:GrantConstraintType', types.length ? types : undefined],
  ];
}

/** Every KMS operation: the keys it acts on and its condition keys. Operations with no key are IAM-only. */
const OPERATIONS: Record<string, OperationRule> = Object.assign(Object.create(null) as Record<string, OperationRule>, {
  // No key resource: IAM policies alone.
  CreateKey: {
    keys: [],
    conditions: (i: Json) => [
      ['kms:KeySpec', str(i.KeySpec) ?? str(i.CustomerMasterKeySpec) ?? 'SYMMETRIC_DEFAULT'],
      ['kms:KeyUsage', str(i.KeyUsage) ?? 'ENCRYPT_DECRYPT'],
      ['kms:KeyOrigin', str(i.Origin) ?? 'AWS_KMS'],
      ['kms:MultiRegion', bool(i.MultiRegion) ?? 'false'],
      ...BYPASS(i),
      ...requestTags(i),
    ],
  },
  ListKeys: { keys: [] },
  ListAliases: { keys: [] },
  GenerateRandom: { keys: [] },
  ListRetirableGrants: { keys: [] },
  CreateCustomKeyStore: { keys: [] },
  DescribeCustomKeyStores: { keys: [] },
  DeleteCustomKeyStore: { keys: [] },
  UpdateCustomKeyStore: { keys: [] },
  ConnectCustomKeyStore: { keys: [] },
  DisconnectCustomKeyStore: { keys: [] },
  // Cryptography.
  Encrypt: { keys: KEY(true, { contextMember: 'EncryptionContext' }), conditions: ENCRYPTION },
  Decrypt: {
    keys: KEY(true, { contextMember: 'EncryptionContext', fromCiphertext: 'CiphertextBlob' }),
    conditions: ENCRYPTION,
  },
  ReEncrypt: {
    keys: [
      {
        member: 'SourceKeyId',
        action: 'ReEncryptFrom',
        aliases: true,
        contextMember: 'SourceEncryptionContext',
        fromCiphertext: 'CiphertextBlob',
      },
      {
        member: 'DestinationKeyId',
        action: 'ReEncryptTo',
        aliases: true,
        contextMember: 'DestinationEncryptionContext',
      },
    ],
    conditions: (i: Json) => [
      [
        'kms:ReEncryptOnSameKey',
        str(i.SourceKeyId) !== undefined && i.SourceKeyId === i.DestinationKeyId ? 'true' : 'false',
      ],
    ],
  },
  GenerateDataKey: { keys: KEY(true, { contextMember: 'EncryptionContext' }), conditions: ENCRYPTION },
  GenerateDataKeyWithoutPlaintext: { keys: KEY(true, { contextMember: 'EncryptionContext' }), conditions: ENCRYPTION },
  GenerateDataKeyPair: { keys: KEY(true, { contextMember: 'EncryptionContext' }), conditions: PAIR },
  GenerateDataKeyPairWithoutPlaintext: { keys: KEY(true, { contextMember: 'EncryptionContext' }), conditions: PAIR },
  Sign: { keys: KEY(true), conditions: SIGNING },
  Verify: { keys: KEY(true), conditions: SIGNING },
  GenerateMac: { keys: KEY(true), conditions: MAC },
  VerifyMac: { keys: KEY(true), conditions: MAC },
  GetPublicKey: { keys: KEY(true) },
  DeriveSharedSecret: {
    keys: KEY(true),
    conditions: (i: Json) => [['kms:KeyAgreementAlgorithm', str(i.KeyAgreementAlgorithm)]],
  },
  // Reading and managing a key.
  DescribeKey: { keys: KEY(true) },
  GetKeyLastUsage: { keys: KEY(true) },
  GetKeyPolicy: { keys: KEY(false) },
  PutKeyPolicy: { keys: KEY(false), conditions: BYPASS },
  ListKeyPolicies: { keys: KEY(false) },
  GetKeyRotationStatus: { keys: KEY(false) },
  EnableKeyRotation: {
    keys: KEY(false),
    conditions: (i: Json) => [['kms:RotationPeriodInDays', int(i.RotationPeriodInDays) ?? '365']],
  },
  DisableKeyRotation: { keys: KEY(false) },
  RotateKeyOnDemand: { keys: KEY(false) },
  ListKeyRotations: { keys: KEY(false) },
  EnableKey: { keys: KEY(false) },
  DisableKey: { keys: KEY(false) },
  ScheduleKeyDeletion: {
    keys: KEY(false),
    conditions: (i: Json) => [['kms:ScheduleKeyDeletionPendingWindowInDays', int(i.PendingWindowInDays) ?? '30']],
  },
  CancelKeyDeletion: { keys: KEY(false) },
  UpdateKeyDescription: { keys: KEY(false) },
  TagResource: { keys: KEY(false), conditions: requestTags },
  UntagResource: { keys: KEY(false), conditions: (i: Json) => [['aws:TagKeys', strList(i.TagKeys)]] },
  ListResourceTags: { keys: KEY(false) },
  GetParametersForImport: {
    keys: KEY(false),
    conditions: (i: Json) => [
      ['kms:WrappingAlgorithm', str(i.WrappingAlgorithm)],
      ['kms:WrappingKeySpec', str(i.WrappingKeySpec)],
    ],
  },
  ImportKeyMaterial: {
    keys: KEY(false),
    conditions: (i: Json) => [
      ['kms:ExpirationModel', str(i.ExpirationModel) ?? 'KEY_MATERIAL_EXPIRES'],
      ['kms:ValidTo', typeof i.ValidTo === 'number' ? String(Math.floor(i.ValidTo)) : undefined],
    ],
  },
  DeleteImportedKeyMaterial: { keys: KEY(false) },
  ReplicateKey: { keys: KEY(false) },
  UpdatePrimaryRegion: { keys: KEY(false) },
  // Grants (RetireGrant has its own rules: see authorizeRetireGrant).
  CreateGrant: { keys: KEY(false), conditions: grantConditions },
  ListGrants: { keys: KEY(false), conditions: (i: Json) => [['kms:GranteePrincipal', str(i.GranteePrincipal)]] },
  RevokeGrant: { keys: KEY(false) },
  RetireGrant: { keys: [] },
  // Aliases: the alias (IAM policies) and its key(s) (key policy).
  CreateAlias: { keys: [{ member: 'TargetKeyId', aliases: false }], aliasMembers: ['AliasName'] },
  UpdateAlias: {
    keys: [
      { member: 'TargetKeyId', aliases: false },
      { member: 'AliasName', aliases: true },
    ],
    aliasMembers: ['AliasName'],
  },
  DeleteAlias: { keys: [{ member: 'AliasName', aliases: true }], aliasMembers: ['AliasName'] },
});

/** The operations the table covers (a test checks that every operation the sandbox answers has a row). */
export const AUTHORIZED_OPERATIONS: readonly string[] = Object.keys(OPERATIONS);

/** A key's policy, parsed once per policy text. */
const parsed = new Map<string, Policy | null>();
function keyPolicyOf(ctx: RequestContext, key: KeyRecord): Policy | undefined {
  const text = key.policy ?? defaultKeyPolicy(ctx.accountId);
  let p = parsed.get(text);
  if (p === undefined) {
    try {
      p = parsePolicy(text, { kind: 'resource' });
    } catch (err) {
      if (!(err instanceof PolicyError)) throw err;
      p = null;
    }
    if (parsed.size > 1000) parsed.clear();
    parsed.set(text, p);
  }
  return p ?? undefined;
}

/** Whether a grant's grantee is this caller (its ARN, or its role for an assumed-role session). */
export const isGrantee = (g: GrantRecord, p: Principal) =>
  g.granteePrincipal === p.arn || (p.roleArn !== undefined && g.granteePrincipal === p.roleArn);

/**
 * Whether an encryption context meets a grant's constraints: keys and values compare exactly (case-sensitive).
 * Constraints bind only the operations that take an encryption context.
 */
export function meetsConstraints(g: GrantRecord, op: string, context: Record<string, string> | undefined): boolean {
  const c = g.constraints;
  if (!c || !CONTEXT_OPERATIONS.has(op)) return true;
  const given = context ?? {};
  const has = (k: string, v: string) => Object.hasOwn(given, k) && given[k] === v;
  if (c.EncryptionContextSubset && !Object.entries(c.EncryptionContextSubset).every(([k, v]) => has(k, v)))
    return false;
  if (c.EncryptionContextEquals) {
    const want = Object.entries(c.EncryptionContextEquals);
    if (want.length !== Object.keys(given).length || !want.every(([k, v]) => has(k, v))) return false;
  }
  return true;
}

/** Whether one of the caller's grants on the key allows the operation (its constraints met). */
function grantAllows(
  ctx: RequestContext,
  key: KeyRecord,
  op: string,
  input: Json,
  context: Record<string, string> | undefined,
): boolean {
  const p = ctx.caller.identity.principal;
  for (const id of ctx.store.grantsByKey.get(key.keyId) ?? []) {
    const g = ctx.store.grants.get(id);
    if (!g || !isGrantee(g, p) || !g.operations.includes(op) || !meetsConstraints(g, op, context)) continue;
    // A grant that allows CreateGrant allows grants for at most its own operations.
    if (op === 'CreateGrant' && !(strList(input.Operations) ?? []).every((o) => g.operations.includes(o))) continue;
    return true;
  }
  return false;
}

/** The condition keys of a request on a key (besides the operation's own). */
function keyContext(
  ctx: RequestContext,
  base: PolicyContext,
  key: KeyRecord,
  ref: string,
  context: Record<string, string> | undefined,
): PolicyContext {
  // Built only if a condition or a variable of the policies reads it (RequestContext.deferred).
  return PolicyContext.deferred(() => {
    const c = base.copy();
    c.set('kms:KeySpec', key.keySpec)
      .set('kms:KeyUsage', key.keyUsage)
      .set('kms:KeyOrigin', key.origin)
      .set('kms:KeyManager', key.keyManager);
    c.set('kms:ResourceAliases', [...(ctx.store.aliasesByKey.get(key.keyId) ?? [])]);
    const alias = /(?:^|:)(alias\/.+)$/.exec(ref);
    if (alias) c.set('kms:RequestAlias', alias[1]);
    for (const t of key.tags) c.set(`aws:ResourceTag/${t.TagKey}`, t.TagValue);
    if (context) {
      const keys = Object.keys(context);
      if (keys.length) c.set('kms:EncryptionContextKeys', keys);
      for (const k of keys) c.set(`kms:EncryptionContext:${k}`, context[k]);
    }
    return c;
  });
}

function baseContext(ctx: RequestContext, rule: OperationRule | undefined, input: Json): PolicyContext {
  const now = ctx.now();
  return PolicyContext.deferred(() => {
    const c = globalContext(ctx.caller.identity, ctx.region, now);
    c.set('kms:CallerAccount', ctx.caller.identity.principal.account);
    for (const [k, v] of rule?.conditions?.(input) ?? []) c.set(k, v);
    return c;
  });
}

const denied = (caller: CallerIdentity, action: string, resource: string, d: Decision) =>
  new KmsError(
    'AccessDeniedException',
    accessDeniedMessage(caller.principal.arn, action, resource, d.allowed ? 'noResourceAllow' : d.reason),
  );

/** The decision for `op` on `key` (no grants considered when `grants` is false): for the lockout check too. */
export function decideOnKey(
  ctx: RequestContext,
  op: string,
  key: KeyRecord,
  context: PolicyContext,
  opts: { policy?: Policy; grantAllows?: boolean } = {},
): Decision {
  const caller = ctx.caller.identity;
  return decideAccess({
    principal: caller.principal,
    action: `kms:${op}`,
    resource: keyArn(ctx, key.keyId),
    context,
    resourcePolicy: opts.policy ?? keyPolicyOf(ctx, key) ?? EMPTY_POLICY,
    resourceAccount: ctx.accountId,
    identityPolicies: identityPoliciesOf(caller),
    grantAllows: opts.grantAllows,
    resourcePolicyRequired: true,
  });
}

/** A key policy that no longer parses allows nothing. */
const EMPTY_POLICY: Policy = { version: '2012-10-17', statements: [] };

/**
 * Throws AccessDeniedException unless the caller may run `op` with this input. Keys the input names but that do not
 * exist are left to the handler (NotFoundException); so are members of the wrong type.
 */
export function authorizeKms(op: string, input: Json, ctx: RequestContext): void {
  const rule = OPERATIONS[op];
  const caller = ctx.caller.identity;
  const base = baseContext(ctx, rule, input);
  if (!rule || rule.keys.length === 0) {
    if (op === 'RetireGrant') return authorizeRetireGrant(input, ctx, base);
    const d = decideAccess({
      principal: caller.principal,
      action: `kms:${op}`,
      resource: '*',
      context: base,
      identityPolicies: identityPoliciesOf(caller),
      resourcePolicyRequired: true,
    });
    if (!d.allowed) throw denied(caller, `kms:${op}`, '*', d);
    return;
  }
  // Names under alias/aws/ belong to AWS: the alias operations refuse them (NotAuthorizedException).
  if (rule.aliasMembers && str(input.AliasName)?.startsWith('alias/aws/')) return;
  for (const member of rule.aliasMembers ?? []) {
    const name = str(input[member]);
    if (name === undefined || caller.principal.kind === 'root') continue;
    const arn = aliasArn(ctx, name.replace(/^arn:[^:]*:kms:[^:]*:[^:]*:/, ''));
    const d = decideAccess({
      principal: caller.principal,
      action: `kms:${op}`,
      resource: arn,
      context: base,
      identityPolicies: identityPoliciesOf(caller),
      resourcePolicyRequired: false,
    });
    if (!d.allowed) throw denied(caller, `kms:${op}`, arn, d);
  }
  for (const target of rule.keys) {
    let ref = str(input[target.member]);
    if (ref === undefined && target.fromCiphertext) {
      const blob = str(input[target.fromCiphertext]);
      ref = blob === undefined ? undefined : parseBlob(Buffer.from(blob, 'base64'))?.keyId;
    }
    if (ref === undefined) continue;
    const key = lookupKey(ctx, ref, target.aliases);
    // An alias may not point to an AWS managed key: the alias operations refuse it (NotAuthorizedException).
    if (!key || (rule.aliasMembers && key.keyManager === 'AWS')) continue;
    const action = target.action ?? op;
    const context = target.contextMember ? contextOf(input, target.contextMember) : undefined;
    const c = keyContext(ctx, base, key, ref, context);
    const d = decideOnKey(ctx, action, key, c, { grantAllows: grantAllows(ctx, key, action, input, context) });
    if (!d.allowed) {
      ctx.logKeyId = key.keyId;
      throw denied(caller, `kms:${action}`, keyArn(ctx, key.keyId), d);
    }
  }
}

/**
 * RetireGrant: the grant's retiring principal, its grantee when the grant allows RetireGrant, or a principal the key
 * policy (and IAM) allow kms:RetireGrant on the key may retire it.
 */
function authorizeRetireGrant(input: Json, ctx: RequestContext, base: PolicyContext): void {
  const grantId = str(input.GrantId);
  const token = str(input.GrantToken);
  const id = grantId ?? (token === undefined ? undefined : ctx.tokens.verify('grant-token', token)?.split('.')[0]);
  const grant = id === undefined ? undefined : ctx.store.grants.get(id);
  const key = grant && ctx.store.keys.get(grant.keyId);
  if (!grant || !key) return;
  const p = ctx.caller.identity.principal;
  if (grant.retiringPrincipal === p.arn || (p.roleArn !== undefined && grant.retiringPrincipal === p.roleArn)) return;
  if (isGrantee(grant, p) && grant.operations.includes('RetireGrant')) return;
  const d = decideOnKey(ctx, 'RetireGrant', key, keyContext(ctx, base, key, key.keyId, undefined));
  if (!d.allowed) {
    ctx.logKeyId = key.keyId;
    throw denied(ctx.caller.identity, 'kms:RetireGrant', keyArn(ctx, key.keyId), d);
  }
}

/**
 * The lockout safety check of PutKeyPolicy and CreateKey: whether the new policy (with the caller's IAM policies)
 * would still let the caller call PutKeyPolicy on the key.
 */
export function newPolicyAllowsCaller(ctx: RequestContext, key: KeyRecord, policyText: string): boolean {
  let policy: Policy;
  try {
    policy = parsePolicy(policyText, { kind: 'resource' });
  } catch (err) {
    if (err instanceof PolicyError) return false;
    throw err;
  }
  const c = keyContext(
    ctx,
    baseContext(ctx, OPERATIONS.PutKeyPolicy, { BypassPolicyLockoutSafetyCheck: false }),
    key,
    key.keyId,
    undefined,
  );
  return decideOnKey(ctx, 'PutKeyPolicy', key, c, { policy }).allowed;
}
