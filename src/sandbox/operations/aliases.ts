// Aliases: CreateAlias, UpdateAlias, ListAliases, DeleteAlias.
import { aliasArn, epochSeconds, keyArn, type HandlerMap, type Json, type RequestContext } from '../context';
import { alreadyExists, KmsError, notFound, validation } from '../errors';
import type { AliasRecord } from '../model';
import { pageOf, pageTail, readPage } from '../paging';
import { resolveKey } from '../resolve';
import { constraintError, KEY_ID, optString, reqString } from '../validate';

const ALIAS_PATTERN = /^[a-zA-Z0-9:/_-]+$/;

/** AWS's alias name rules: 1–256 characters of [a-zA-Z0-9:/_-], the alias/ prefix, alias/aws/ reserved. */
export function readAliasName(input: Json, ctx: RequestContext, reserveAws: boolean): string {
  const name = reqString(input, 'AliasName', { min: 1, max: 256 });
  if (!ALIAS_PATTERN.test(name))
    throw constraintError('AliasName', name, 'Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$');
  // The model's pattern allows ':', but AWS refuses it in an alias name (only alphanumerics, '/', '_' and '-').
  // AWS's exact wording for this is not published; this is the developer guide's rule.
  if (name.includes(':'))
    throw validation(
      'Alias name must contain only alphanumeric characters, forward slashes (/), underscores (_), and dashes (-).',
    );
  if (!name.startsWith('alias/') || name.length === 'alias/'.length)
    throw validation(
      'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
    );
  if (reserveAws && name.startsWith('alias/aws/'))
    throw new KmsError(
      'NotAuthorizedException',
      `${aliasArn(ctx, name)}: Alias names that begin with alias/aws/ are reserved for AWS managed keys.`,
    );
  return name;
}

/** Symmetric, asymmetric or HMAC: an alias may only move between keys of one family (and one key usage). */
const keyFamily = (spec: string) =>
  spec === 'SYMMETRIC_DEFAULT' ? 'symmetric' : spec.startsWith('HMAC_') ? 'hmac' : 'asymmetric';

function aliasEntry(ctx: RequestContext, a: AliasRecord): Json {
  return {
    AliasName: a.aliasName,
    AliasArn: aliasArn(ctx, a.aliasName),
    TargetKeyId: a.targetKeyId,
    CreationDate: epochSeconds(a.createdAt),
    LastUpdatedDate: epochSeconds(a.updatedAt),
  };
}

export const aliasOperations: HandlerMap = {
  async CreateAlias(input, ctx) {
    const name = readAliasName(input, ctx, true);
    const target = reqString(input, 'TargetKeyId', KEY_ID);
    await ctx.store.write(() => {
      const key = resolveKey(ctx, target, { aliases: false, op: 'CreateAlias' });
      if (ctx.store.aliases.has(name))
        throw alreadyExists(`An alias with the name ${aliasArn(ctx, name)} already exists`);
      if (key.keyManager === 'AWS')
        throw new KmsError('NotAuthorizedException', 'You cannot create an alias for an AWS managed key.');
      const now = ctx.now();
      const record: AliasRecord = {
        aliasName: name,
        targetKeyId: key.keyId,
        region: ctx.region,
        createdAt: now,
        updatedAt: now,
      };
      return { changes: [{ kind: 'alias', record }], result: undefined };
    });
    return {};
  },

  async DeleteAlias(input, ctx) {
    const name = readAliasName(input, ctx, false);
    await ctx.store.write(() => {
      const alias = ctx.store.aliases.get(name);
      if (!alias) throw notFound(`Alias ${aliasArn(ctx, name)} is not found.`);
      ctx.logKeyId = alias.targetKeyId;
      if (name.startsWith('alias/aws/'))
        throw new KmsError('NotAuthorizedException', 'You cannot delete an alias of an AWS managed key.');
      return { changes: [{ kind: 'deleteAlias', aliasName: name }], result: undefined };
    });
    return {};
  },

  async UpdateAlias(input, ctx) {
    const name = readAliasName(input, ctx, true);
    const target = reqString(input, 'TargetKeyId', KEY_ID);
    await ctx.store.write(() => {
      const alias = ctx.store.aliases.get(name);
      if (!alias) throw notFound(`Alias ${aliasArn(ctx, name)} is not found.`);
      // The key it pointed to may be in any state (even pending deletion); the new one follows the key-state table.
      const key = resolveKey(ctx, target, { aliases: false, op: 'UpdateAlias' });
      if (key.keyManager === 'AWS')
        throw new KmsError('NotAuthorizedException', 'You cannot associate an alias with an AWS managed key.');
      const current = ctx.store.keys.get(alias.targetKeyId);
      if (current && (keyFamily(current.keySpec) !== keyFamily(key.keySpec) || current.keyUsage !== key.keyUsage))
        throw validation(
          `${keyArn(ctx, key.keyId)} cannot replace ${keyArn(ctx, current.keyId)} as the target of ${name}: ` +
            'the current and new KMS key must be the same type (symmetric, asymmetric or HMAC) and have the same key usage.',
        );
      if (alias.targetKeyId === key.keyId) return { changes: [], result: undefined };
      const record: AliasRecord = { ...alias, targetKeyId: key.keyId, updatedAt: ctx.now() };
      return { changes: [{ kind: 'alias', record }], result: undefined };
    });
    return {};
  },

  ListAliases(input, ctx) {
    const keyRef = optString(input, 'KeyId', KEY_ID);
    if (keyRef === undefined) {
      const page = readPage(input, ctx, 'ListAliases', { max: 100, default: 50 });
      const { items, more } = ctx.store.aliasOrder.page(page.after, page.limit);
      return {
        Aliases: items.map((n) => aliasEntry(ctx, ctx.store.aliases.get(n) as AliasRecord)),
        ...pageTail(ctx, 'ListAliases', more, items.at(-1)),
      };
    }
    const key = resolveKey(ctx, keyRef, { aliases: false });
    const scope = `ListAliases:${key.keyId}`;
    const page = readPage(input, ctx, scope, { max: 100, default: 50 });
    const names = [...(ctx.store.aliasesByKey.get(key.keyId) ?? [])].sort().map((n) => ({ sortKey: n, item: n }));
    const { items, more, last } = pageOf(names, page);
    return {
      Aliases: items.map((n) => aliasEntry(ctx, ctx.store.aliases.get(n) as AliasRecord)),
      ...pageTail(ctx, scope, more, last),
    };
  },
};
