// Aliases: CreateAlias, ListAliases, DeleteAlias.
import { aliasArn, epochSeconds, type HandlerMap, type Json, type RequestContext } from '../context';
import { alreadyExists, KmsError, notFound, validation } from '../errors';
import type { AliasRecord } from '../model';
import { pageOf, pageTail, readPage } from '../paging';
import { resolveKey } from '../resolve';
import { constraintError, KEY_ID, optString, reqString } from '../validate';

const ALIAS_PATTERN = /^[a-zA-Z0-9:/_-]+$/;

/** AWS's alias name rules: 1–256 characters of [a-zA-Z0-9:/_-], the alias/ prefix, alias/aws/ reserved. */
export function readAliasName(input: Json, ctx: RequestContext, reserveAws: boolean): string {
  const name = reqString(input, 'AliasName', { min: 1, max: 256 });
  if (!ALIAS_PATTERN.test(name)) throw constraintError('AliasName', name, 'Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$');
  if (!name.startsWith('alias/') || name.length === 'alias/'.length)
    throw validation('Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html');
  if (reserveAws && name.startsWith('alias/aws/'))
    throw new KmsError('NotAuthorizedException', `${aliasArn(ctx, name)}: Alias names that begin with alias/aws/ are reserved for AWS managed keys.`);
  return name;
}

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
      if (ctx.store.aliases.has(name)) throw alreadyExists(`An alias with the name ${aliasArn(ctx, name)} already exists`);
      if (key.keyManager === 'AWS') throw new KmsError('NotAuthorizedException', 'You cannot create an alias for an AWS managed key.');
      const now = ctx.now();
      const record: AliasRecord = { aliasName: name, targetKeyId: key.keyId, region: ctx.region, createdAt: now, updatedAt: now };
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
      if (name.startsWith('alias/aws/')) throw new KmsError('NotAuthorizedException', 'You cannot delete an alias of an AWS managed key.');
      return { changes: [{ kind: 'deleteAlias', aliasName: name }], result: undefined };
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
