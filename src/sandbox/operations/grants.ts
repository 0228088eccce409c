// Grants: CreateGrant, ListGrants, RevokeGrant; grant tokens checked by every operation that takes them.
import { randomBytes } from 'node:crypto';
import { epochSeconds, keyArn, type HandlerMap, type Json, type RequestContext } from '../context';
import { invalidGrantToken, KmsError, notFound, validation } from '../errors';
import type { GrantConstraints, GrantRecord } from '../model';
import { pageOf, pageTail, readPage } from '../paging';
import { resolveKey } from '../resolve';
import { constraintError, GRANT_TOKENS, KEY_ID, optString, optStringList, optStringMap, optStruct, reqString } from '../validate';

/** The operations a grant may allow (AWS's GrantOperation enum). */
export const GRANT_OPERATIONS = [
  'Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo', 'Sign',
  'Verify', 'GetPublicKey', 'CreateGrant', 'RetireGrant', 'DescribeKey', 'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext', 'GenerateMac', 'VerifyMac', 'DeriveSharedSecret',
] as const;

const GRANT_TOKEN_PURPOSE = 'grant-token';
const GRANT_ID = /^[0-9a-f]{64}$/;

/** Refuses the request when any of its GrantTokens was not issued by this sandbox. */
export function checkGrantTokens(input: Json, ctx: RequestContext): void {
  const tokens = optStringList(input, 'GrantTokens', GRANT_TOKENS);
  for (const t of tokens ?? []) if (ctx.tokens.verify(GRANT_TOKEN_PURPOSE, t) === undefined) throw invalidGrantToken();
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

function readConstraints(input: Json): GrantConstraints | undefined {
  const c = optStruct(input, 'Constraints');
  if (!c) return undefined;
  const subset = optStringMap(c, 'EncryptionContextSubset');
  const equals = optStringMap(c, 'EncryptionContextEquals');
  if (subset === undefined && equals === undefined) return undefined;
  return { EncryptionContextSubset: subset, EncryptionContextEquals: equals };
}

const PRINCIPAL = { min: 1, max: 256 };

export const grantOperations: HandlerMap = {
  async CreateGrant(input, ctx) {
    const ref = reqString(input, 'KeyId', KEY_ID);
    const granteePrincipal = reqString(input, 'GranteePrincipal', PRINCIPAL);
    const retiringPrincipal = optString(input, 'RetiringPrincipal', PRINCIPAL);
    const operations = optStringList(input, 'Operations', { required: true });
    const name = optString(input, 'Name', { min: 1, max: 256 });
    const constraints = readConstraints(input);
    checkGrantTokens(input, ctx);
    if (!operations || operations.length === 0) throw constraintError('Operations', '[]', 'Member must have length greater than or equal to 1');
    for (const op of operations)
      if (!(GRANT_OPERATIONS as readonly string[]).includes(op))
        throw constraintError('Operations', `[${operations.join(', ')}]`, `Member must satisfy constraint: [Member must satisfy enum value set: [${GRANT_OPERATIONS.join(', ')}]]`);
    if (name !== undefined && !/^[a-zA-Z0-9:/_-]+$/.test(name)) throw constraintError('Name', name, 'Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$');
    if (!/^[\w+=,.@:/-]+$/.test(granteePrincipal)) throw new KmsError('InvalidArnException', `Invalid GranteePrincipal: ${granteePrincipal}`);
    const grantId = randomBytes(32).toString('hex');
    return ctx.store.write(() => {
      const key = resolveKey(ctx, ref, { aliases: false, op: 'CreateGrant' });
      if (name !== undefined) {
        // A Name makes CreateGrant idempotent: the same grant comes back.
        for (const id of ctx.store.grantsByKey.get(key.keyId) ?? []) {
          const g = ctx.store.grants.get(id);
          if (g?.name === name && g.granteePrincipal === granteePrincipal && sameList(g.operations, operations))
            return { changes: [], result: { GrantToken: ctx.tokens.sign(GRANT_TOKEN_PURPOSE, g.grantId), GrantId: g.grantId } };
        }
      }
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
      return { changes: [{ kind: 'grant', record }], result: { GrantToken: ctx.tokens.sign(GRANT_TOKEN_PURPOSE, grantId), GrantId: grantId } };
    });
  },

  ListGrants(input, ctx) {
    const key = resolveKey(ctx, reqString(input, 'KeyId', KEY_ID), { aliases: false });
    const grantId = optString(input, 'GrantId', { min: 1, max: 128 });
    const grantee = optString(input, 'GranteePrincipal', PRINCIPAL);
    const page = readPage(input, ctx, `ListGrants:${key.keyId}:${grantId ?? ''}:${grantee ?? ''}`, { max: 100, default: 50 });
    const grants = [...(ctx.store.grantsByKey.get(key.keyId) ?? [])]
      .map((id) => ctx.store.grants.get(id))
      .filter((g): g is GrantRecord => !!g && (grantId === undefined || g.grantId === grantId) && (grantee === undefined || g.granteePrincipal === grantee))
      .map((g) => ({ sortKey: sortKeyOf(g), item: g }))
      .sort((a, b) => (a.sortKey < b.sortKey ? -1 : 1));
    const { items, more, last } = pageOf(grants, page);
    return {
      Grants: items.map((g) => grantEntry(ctx, g)),
      ...pageTail(ctx, `ListGrants:${key.keyId}:${grantId ?? ''}:${grantee ?? ''}`, more, last),
    };
  },

  async RevokeGrant(input, ctx) {
    const ref = reqString(input, 'KeyId', KEY_ID);
    const grantId = reqString(input, 'GrantId', { min: 1, max: 128 });
    if (!GRANT_ID.test(grantId)) throw validation(`Invalid grant ID ${grantId}`);
    await ctx.store.write(() => {
      const key = resolveKey(ctx, ref, { aliases: false, op: 'RevokeGrant' });
      const grant = ctx.store.grants.get(grantId);
      if (!grant || grant.keyId !== key.keyId) throw notFound(`Grant ID ${grantId} not found`);
      return { changes: [{ kind: 'deleteGrant', grantId }], result: undefined };
    });
    return {};
  },
};

const sameList = (a: string[], b: string[]) => a.length === new Set(b).size && b.every((x) => a.includes(x));
