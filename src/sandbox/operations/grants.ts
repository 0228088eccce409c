// Grants: CreateGrant, ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant; grant tokens checked by every
// operation that takes them. What a grant allows its grantee is decided with the key policy and IAM policies in
// authorize.ts; a grant token only proves that its grant exists (grants are effective at once here), so a forged
// token is refused and a genuine one changes nothing.
import { randomBytes } from 'node:crypto';
import { epochSeconds, keyArn, type HandlerMap, type Json, type RequestContext } from '../context';
import { dryRun, invalidGrantToken, KmsError, notFound, validation } from '../errors';
import type { GrantConstraints, GrantRecord } from '../model';
import { pageAfter, pageOf, pageTail, readPage, readPageMembers } from '../paging';
import { resolveKey } from '../resolve';
import {
  constraintError,
  GRANT_TOKENS,
  KEY_ID,
  optBool,
  optString,
  optStringList,
  optStringMap,
  optStruct,
  PATTERNS,
  reqString,
  sameStringMap,
} from '../validate';

/** The operations a grant may allow (AWS's GrantOperation enum). */
export const GRANT_OPERATIONS = [
  'Decrypt',
  'Encrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'ReEncryptFrom',
  'ReEncryptTo',
  'Sign',
  'Verify',
  'GetPublicKey',
  'CreateGrant',
  'RetireGrant',
  'DescribeKey',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'GenerateMac',
  'VerifyMac',
  'DeriveSharedSecret',
] as const;

/** Operations with an encryption context: the only ones grant constraints apply to. */
export const CONTEXT_OPERATIONS = new Set([
  'Decrypt',
  'Encrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'ReEncryptFrom',
  'ReEncryptTo',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
]);

const GRANT_TOKEN_PURPOSE = 'grant-token';
const GRANT_ID = /^[0-9a-f]{64}$/;
/** AWS's quota of grants per KMS key. */
export const GRANTS_PER_KEY = 50_000;
/** AWS's limits on a constraint: 8 encryption context pairs, values up to 384 characters. */
const CONSTRAINT_PAIRS = 8;
const CONSTRAINT_VALUE_LENGTH = 384;

const invalidGrantId = (id: string) => new KmsError('InvalidGrantIdException', `Invalid grant ID ${id}`);

/** A token for a grant: unique per CreateGrant call (as AWS's are), all of a grant's tokens interchangeable. */
const grantToken = (ctx: RequestContext, grantId: string) =>
  ctx.tokens.sign(GRANT_TOKEN_PURPOSE, `${grantId}.${randomBytes(8).toString('hex')}`);

/** The grant id a token names, or undefined when this sandbox did not issue it. */
function grantIdOf(ctx: RequestContext, token: string): string | undefined {
  return ctx.tokens.verify(GRANT_TOKEN_PURPOSE, token)?.split('.')[0];
}

/** Refuses the request when any of its GrantTokens was not issued by this sandbox; returns the grant ids they name. */
export function checkGrantTokens(input: Json, ctx: RequestContext): string[] {
  const ids: string[] = [];
  for (const token of optStringList(input, 'GrantTokens', GRANT_TOKENS) ?? []) {
    const id = grantIdOf(ctx, token);
    if (id === undefined) throw invalidGrantToken();
    ids.push(id);
  }
  return ids;
}

const sortKeyOf = (g: GrantRecord) => `${String(g.createdAt).padStart(15, '0')}:${g.grantId}`;

function grantEntry(ctx: RequestContext, g: GrantRecord): Json {
  return {
    KeyId: keyArn(ctx, g.keyId),
    GrantId: g.grantId,
    Name: g.name,
    CreationDate: epochSeconds(g.createdAt),
    GranteePrincipal: g.granteePrincipal,
    RetiringPrincipal: g.retiringPrincipal,
    IssuingAccount: `arn:aws:iam::${ctx.accountId}:root`,
    Operations: g.operations,
    Constraints: g.constraints,
  };
}

function readConstraintMap(c: Json, name: string): Record<string, string> | undefined {
  const map = optStringMap(c, name);
  if (map === undefined) return undefined;
  const entries = Object.entries(map);
  if (entries.length > CONSTRAINT_PAIRS)
    throw validation(`${name} can have at most ${CONSTRAINT_PAIRS} encryption context pairs.`);
  for (const [k, v] of entries)
    if (k.length === 0 || v.length > CONSTRAINT_VALUE_LENGTH)
      throw validation(
        `Invalid ${name}: keys must not be empty and values are at most ${CONSTRAINT_VALUE_LENGTH} characters.`,
      );
  return map;
}

function readConstraints(input: Json): GrantConstraints | undefined {
  const c = optStruct(input, 'Constraints');
  if (!c) return undefined;
  const subset = readConstraintMap(c, 'EncryptionContextSubset');
  const equals = readConstraintMap(c, 'EncryptionContextEquals');
  if (subset === undefined && equals === undefined) return undefined;
  return { EncryptionContextSubset: subset, EncryptionContextEquals: equals };
}

const PRINCIPAL = { min: 1, max: 256, pattern: PATTERNS.PRINCIPAL };

function readPrincipal(input: Json, name: string, required: boolean): string | undefined {
  return optString(input, name, { ...PRINCIPAL, required });
}

function readGrantId(input: Json, required: boolean): string | undefined {
  const id = optString(input, 'GrantId', { min: 1, max: 128, required });
  if (id !== undefined && !GRANT_ID.test(id)) throw invalidGrantId(id);
  return id;
}

const sameConstraints = (a?: GrantConstraints, b?: GrantConstraints) =>
  sameStringMap(a?.EncryptionContextSubset, b?.EncryptionContextSubset) &&
  sameStringMap(a?.EncryptionContextEquals, b?.EncryptionContextEquals);
const sameList = (a: string[], b: string[]) => a.length === new Set(b).size && b.every((x) => a.includes(x));

/** The grant RetireGrant names: by its token, or by key and grant id. */
function grantToRetire(
  ctx: RequestContext,
  token: string | undefined,
  keyRef: string | undefined,
  grantId: string | undefined,
): GrantRecord {
  if (token !== undefined) {
    const id = grantIdOf(ctx, token);
    if (id === undefined) throw invalidGrantToken();
    if (grantId !== undefined && grantId !== id) throw invalidGrantId(grantId);
    const grant = ctx.store.grants.get(id);
    if (!grant) throw notFound(`Grant ID ${id} not found`);
    if (keyRef !== undefined && resolveKey(ctx, keyRef, { aliases: false, op: 'RetireGrant' }).keyId !== grant.keyId)
      throw notFound(`Grant ID ${id} not found`);
    ctx.logKeyId = grant.keyId;
    return grant;
  }
  if (keyRef === undefined || grantId === undefined)
    throw validation('Either GrantToken, or both KeyId and GrantId, must be specified.');
  const key = resolveKey(ctx, keyRef, { aliases: false, op: 'RetireGrant' });
  const grant = ctx.store.grants.get(grantId);
  if (!grant || grant.keyId !== key.keyId) throw notFound(`Grant ID ${grantId} not found`);
  return grant;
}

export const grantOperations: HandlerMap = {
  async CreateGrant(input, ctx) {
    const ref = reqString(input, 'KeyId', KEY_ID);
    const granteePrincipal = readPrincipal(input, 'GranteePrincipal', true) as string;
    const retiringPrincipal = readPrincipal(input, 'RetiringPrincipal', false);
    const operations = optStringList(input, 'Operations', { required: true });
    const name = optString(input, 'Name', { min: 1, max: 256 });
    const constraints = readConstraints(input);
    const dry = optBool(input, 'DryRun') ?? false;
    checkGrantTokens(input, ctx);
    if (!operations || operations.length === 0)
      throw constraintError('Operations', '[]', 'Member must have length greater than or equal to 1');
    for (const op of operations)
      if (!(GRANT_OPERATIONS as readonly string[]).includes(op))
        throw constraintError(
          'Operations',
          `[${operations.join(', ')}]`,
          `Member must satisfy constraint: [Member must satisfy enum value set: [${GRANT_OPERATIONS.join(', ')}]]`,
        );
    if (operations.every((op) => op === 'CreateGrant'))
      throw validation('Grants must not contain only the CreateGrant operation.');
    if (name !== undefined && !/^[a-zA-Z0-9:/_-]+$/.test(name))
      throw constraintError('Name', name, 'Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$');
    const grantId = randomBytes(32).toString('hex');
    return ctx.store.write(() => {
      const key = resolveKey(ctx, ref, { aliases: false, op: 'CreateGrant' });
      if (constraints && key.keySpec !== 'SYMMETRIC_DEFAULT')
        throw validation(
          `Grant constraints are not supported for ${keyArn(ctx, key.keyId)}: asymmetric and HMAC keys take no encryption context.`,
        );
      const existing = [...(ctx.store.grantsByKey.get(key.keyId) ?? [])];
      if (name !== undefined) {
        // A Name makes CreateGrant idempotent: the same request again returns the same grant (with a new token).
        for (const id of existing) {
          const g = ctx.store.grants.get(id);
          if (
            g?.name === name &&
            g.granteePrincipal === granteePrincipal &&
            g.retiringPrincipal === retiringPrincipal &&
            sameList(g.operations, operations) &&
            sameConstraints(g.constraints, constraints)
          ) {
            if (dry) throw dryRun();
            return { changes: [], result: { GrantToken: grantToken(ctx, g.grantId), GrantId: g.grantId } };
          }
        }
      }
      if (existing.length >= GRANTS_PER_KEY)
        throw new KmsError(
          'LimitExceededException',
          `${keyArn(ctx, key.keyId)} has reached the limit of ${GRANTS_PER_KEY} grants per KMS key.`,
        );
      if (dry) throw dryRun();
      const record: GrantRecord = {
        grantId,
        keyId: key.keyId,
        region: ctx.region,
        name,
        createdAt: ctx.now(),
        granteePrincipal,
        retiringPrincipal,
        operations: [...new Set(operations)],
        constraints,
        issuer: ctx.caller.accessKeyId,
      };
      return {
        changes: [{ kind: 'grant', record }],
        result: { GrantToken: grantToken(ctx, grantId), GrantId: grantId },
      };
    });
  },

  ListGrants(input, ctx) {
    const ref = reqString(input, 'KeyId', KEY_ID);
    const grantId = optString(input, 'GrantId', { min: 1, max: 128 });
    const grantee = optString(input, 'GranteePrincipal', PRINCIPAL);
    const members = readPageMembers(input, { max: 100, default: 50 });
    const key = resolveKey(ctx, ref, { aliases: false });
    const scope = `ListGrants:${key.keyId}:${grantId ?? ''}:${grantee ?? ''}`;
    const page = pageAfter(ctx, scope, members);
    const grants = [...(ctx.store.grantsByKey.get(key.keyId) ?? [])]
      .map((id) => ctx.store.grants.get(id))
      .filter(
        (g): g is GrantRecord =>
          !!g &&
          (grantId === undefined || g.grantId === grantId) &&
          (grantee === undefined || g.granteePrincipal === grantee),
      );
    return listPage(ctx, grants, page, scope);
  },

  ListRetirableGrants(input, ctx) {
    const principal = readPrincipal(input, 'RetiringPrincipal', true) as string;
    const scope = `ListRetirableGrants:${principal}`;
    const page = readPage(input, ctx, scope, { max: 100, default: 50 });
    const grants = [...ctx.store.grants.values()].filter((g) => g.retiringPrincipal === principal);
    return listPage(ctx, grants, page, scope);
  },

  async RetireGrant(input, ctx) {
    const token = optString(input, 'GrantToken', { min: 1, max: 8192 });
    const keyRef = optString(input, 'KeyId', KEY_ID);
    const grantId = readGrantId(input, false);
    const dry = optBool(input, 'DryRun') ?? false;
    await ctx.store.write(() => {
      const grant = grantToRetire(ctx, token, keyRef, grantId);
      if (dry) throw dryRun();
      return { changes: [{ kind: 'deleteGrant', grantId: grant.grantId }], result: undefined };
    });
    return {};
  },

  async RevokeGrant(input, ctx) {
    const ref = reqString(input, 'KeyId', KEY_ID);
    const grantId = readGrantId(input, true) as string;
    const dry = optBool(input, 'DryRun') ?? false;
    await ctx.store.write(() => {
      const key = resolveKey(ctx, ref, { aliases: false, op: 'RevokeGrant' });
      const grant = ctx.store.grants.get(grantId);
      if (!grant || grant.keyId !== key.keyId) throw notFound(`Grant ID ${grantId} not found`);
      if (dry) throw dryRun();
      return { changes: [{ kind: 'deleteGrant', grantId }], result: undefined };
    });
    return {};
  },
};

/** One page of grants, oldest first, as ListGrants and ListRetirableGrants answer. */
function listPage(ctx: RequestContext, grants: GrantRecord[], page: ReturnType<typeof readPage>, scope: string): Json {
  const sorted = grants
    .map((g) => ({ sortKey: sortKeyOf(g), item: g }))
    .sort((a, b) => (a.sortKey < b.sortKey ? -1 : 1));
  const { items, more, last } = pageOf(sorted, page);
  return { Grants: items.map((g) => grantEntry(ctx, g)), ...pageTail(ctx, scope, more, last) };
}
