// The IAM Query API subset: users, access keys, roles with trust policies, inline user and role policies, tags,
// with IAM's name rules, paging (Marker/MaxItems/IsTruncated) and exception codes.
import { randomBytes } from 'node:crypto';
import { parsePolicy, PolicyError, type Policy, type PolicyKind } from '../../policy';
import type { Change } from '../store';
import type { QueryContext, QueryOperation } from '../query/context';
import {
  listParam,
  optIntParam,
  optParam,
  queryError,
  reqParam,
  structListParam,
  validationError,
  type Params,
  type StringRule,
  type XmlValue,
} from '../query/protocol';
import {
  nameKey,
  type AccessKeyRecord,
  type IamRoleRecord,
  type IamTag,
  type IamUserRecord,
  type InlinePolicy,
} from './model';
import { iamId, roleArn, rootArn, userArn } from './principals';
import { simulationOperations } from './simulate';

export const IAM_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';

const NAME: StringRule = { min: 1, max: 64, pattern: /^[\w+=,.@-]+$/, patternText: '[\\w+=,.@-]+' };
const POLICY_NAME: StringRule = { min: 1, max: 128, pattern: /^[\w+=,.@-]+$/, patternText: '[\\w+=,.@-]+' };
const PATH: StringRule = {
  min: 1,
  max: 512,
  pattern: /^(\/|\/[\u0021-\u007E]+\/)$/,
  patternText: '(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)',
};
const DOCUMENT: StringRule = {
  min: 1,
  max: 131072,
  pattern: /^[\t\n\r\u0020-\u00FF]+$/,
  patternText: '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+',
};
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const MAX_TAGS = 50;
/** AWS's quotas: inline policy characters per user and per role (all policies together), access keys per user. */
const USER_POLICY_CHARS = 2048;
const ROLE_POLICY_CHARS = 10240;
const ACCESS_KEYS_PER_USER = 2;

const noSuchEntity = (message: string) => queryError('NoSuchEntity', message, 404);
const alreadyExists = (message: string) => queryError('EntityAlreadyExists', message, 409);
const deleteConflict = (message: string) => queryError('DeleteConflict', message, 409);
const limitExceeded = (message: string) => queryError('LimitExceeded', message, 409);
export const malformedPolicy = (message: string) => queryError('MalformedPolicyDocument', message, 400);

/** Checks a policy document as IAM does and returns it parsed; MalformedPolicyDocument otherwise. */
export function checkDocument(text: string, kind: PolicyKind): Policy {
  try {
    return parsePolicy(text, { kind });
  } catch (err) {
    if (err instanceof PolicyError) throw malformedPolicy(err.message);
    throw err;
  }
}

/** Policy documents travel URL-encoded in IAM's answers (the SDKs and the CLI decode them). */
const encodeDocument = (doc: string) => encodeURIComponent(doc);

export function findUser(ctx: QueryContext, name: string): IamUserRecord {
  const u = ctx.store.iam.users.get(nameKey(name));
  if (!u) throw noSuchEntity(`The user with name ${name} cannot be found.`);
  return u;
}

export function findRole(ctx: QueryContext, name: string): IamRoleRecord {
  const r = ctx.store.iam.roles.get(nameKey(name));
  if (!r) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  return r;
}

export function readTags(p: Params, name = 'Tags'): IamTag[] {
  const items = structListParam(p, name, ['Key', 'Value'], MAX_TAGS + 1);
  if (items.length > MAX_TAGS) throw limitExceeded(`Cannot exceed quota for TagsPerEntity: ${MAX_TAGS}`);
  const seen = new Set<string>();
  return items.map((t) => {
    const Key = t.get('Key') ?? '';
    const Value = t.get('Value') ?? '';
    if (Key.length < 1 || Key.length > 128 || !TAG_KEY.test(Key))
      throw validationError(
        `1 validation error detected: Value '${Key}' at 'tags.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+`,
      );
    if (Value.length > 256)
      throw validationError(
        `1 validation error detected: Value at 'tags.member.value' failed to satisfy constraint: Member must have length less than or equal to 256`,
      );
    if (seen.has(Key.toLowerCase()))
      throw queryError('InvalidInput', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(Key.toLowerCase());
    return { Key, Value };
  });
}

/** Tags after adding (replacing same keys, case-insensitively); LimitExceeded past 50. */
function mergeTags(current: IamTag[], added: IamTag[]): IamTag[] {
  const byKey = new Map(current.map((t) => [t.Key.toLowerCase(), t]));
  for (const t of added) byKey.set(t.Key.toLowerCase(), t);
  if (byKey.size > MAX_TAGS) throw limitExceeded(`Cannot exceed quota for TagsPerEntity: ${MAX_TAGS}`);
  return [...byKey.values()];
}

const userXml = (ctx: QueryContext, u: IamUserRecord, withTags: boolean): XmlValue => ({
  Path: u.path,
  UserName: u.userName,
  UserId: u.userId,
  Arn: userArn(ctx.accountId, u),
  CreateDate: new Date(u.createdAt),
  Tags: withTags && u.tags.length ? u.tags : undefined,
});

const roleXml = (ctx: QueryContext, r: IamRoleRecord, withTags: boolean): XmlValue => ({
  Path: r.path,
  RoleName: r.roleName,
  RoleId: r.roleId,
  Arn: roleArn(ctx.accountId, r),
  CreateDate: new Date(r.createdAt),
  AssumeRolePolicyDocument: encodeDocument(r.assumeRolePolicy),
  Description: r.description,
  MaxSessionDuration: r.maxSessionDuration,
  Tags: withTags && r.tags.length ? r.tags : undefined,
});

const keyMetadata = (k: AccessKeyRecord): XmlValue => ({
  UserName: k.userName,
  AccessKeyId: k.accessKeyId,
  Status: k.status,
  CreateDate: new Date(k.createdAt),
});

/** One page of a sorted list: MaxItems 1–1000 (default 100), Marker signed so a forged one is refused. */
function page<T>(
  p: Params,
  ctx: QueryContext,
  scope: string,
  items: Array<{ sortKey: string; item: T }>,
): { items: T[]; IsTruncated: boolean; Marker?: string } {
  const max = optIntParam(p, 'MaxItems', 1, 1000) ?? 100;
  const marker = optParam(p, 'Marker', { min: 1, max: 320 });
  let after: string | undefined;
  if (marker !== undefined) {
    after = ctx.tokens.verify(`iam-marker:${scope}`, marker);
    if (after === undefined) throw validationError('Invalid Marker.');
  }
  const sorted = items.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  const rest = after === undefined ? sorted : sorted.filter((x) => x.sortKey > after);
  const shown = rest.slice(0, max);
  const truncated = rest.length > max;
  return {
    items: shown.map((x) => x.item),
    IsTruncated: truncated,
    Marker: truncated ? ctx.tokens.sign(`iam-marker:${scope}`, shown[shown.length - 1].sortKey) : undefined,
  };
}

const byName = <T>(items: Iterable<T>, name: (t: T) => string) =>
  [...items].map((item) => ({ sortKey: nameKey(name(item)), item }));

/** The user a request names, or — without UserName — the calling user. */
function userOrCaller(p: Params, ctx: QueryContext): IamUserRecord | undefined {
  const name = optParam(p, 'UserName', NAME);
  if (name !== undefined) return findUser(ctx, name);
  return ctx.caller.identity.user;
}

const account = (ctx: QueryContext) => ctx.accountId;
const userResource = (p: Params, ctx: QueryContext) => `arn:aws:iam::${account(ctx)}:user/${p.get('UserName') ?? ''}`;
const roleResource = (p: Params, ctx: QueryContext) => `arn:aws:iam::${account(ctx)}:role/${p.get('RoleName') ?? ''}`;
const anyResource = () => '*';

// --- inline policies and tags, for users and roles alike -------------------------------------------

interface Entity<R> {
  what: 'user' | 'role';
  verb: 'User' | 'Role';
  nameParam: 'UserName' | 'RoleName';
  find: (ctx: QueryContext, name: string) => R;
  change: (r: R) => Change[];
  maxChars: number;
  displayName: (r: R) => string;
}

type Holder = { policies: InlinePolicy[]; tags: IamTag[] };

function entityOperations<R extends Holder>(h: Entity<R>): Record<string, QueryOperation> {
  const resource = h.what === 'user' ? userResource : roleResource;
  const verb = h.verb;
  /** Reads the entity's name, then changes the entity under the store's lock. */
  const update = async (p: Params, ctx: QueryContext, edit: (r: R) => R) => {
    const name = reqParam(p, h.nameParam, NAME);
    await ctx.store.write(() => ({ changes: h.change(edit(h.find(ctx, name))), result: undefined }));
    return undefined;
  };
  const policyName = (p: Params) => reqParam(p, 'PolicyName', POLICY_NAME);
  const policyMissing = (name: string) => noSuchEntity(`The ${h.what} policy with name ${name} cannot be found.`);
  return {
    [`Put${verb}Policy`]: {
      resource,
      handle(p, ctx) {
        const name = policyName(p);
        const document = reqParam(p, 'PolicyDocument', DOCUMENT);
        checkDocument(document, 'identity');
        return update(p, ctx, (r) => {
          const policies = [...r.policies.filter((x) => x.name !== name), { name, document }];
          const chars = policies.reduce((n, x) => n + x.document.replace(/\s/g, '').length, 0);
          if (chars > h.maxChars)
            throw limitExceeded(
              `Maximum policy size of ${h.maxChars} bytes exceeded for ${h.what} ${h.displayName(r)}`,
            );
          return { ...r, policies };
        });
      },
    },
    [`Get${verb}Policy`]: {
      resource,
      handle(p, ctx) {
        const r = h.find(ctx, reqParam(p, h.nameParam, NAME));
        const name = policyName(p);
        const pol = r.policies.find((x) => x.name === name);
        if (!pol) throw policyMissing(name);
        return { [h.nameParam]: h.displayName(r), PolicyName: pol.name, PolicyDocument: encodeDocument(pol.document) };
      },
    },
    [`Delete${verb}Policy`]: {
      resource,
      handle(p, ctx) {
        const name = policyName(p);
        return update(p, ctx, (r) => {
          if (!r.policies.some((x) => x.name === name)) throw policyMissing(name);
          return { ...r, policies: r.policies.filter((x) => x.name !== name) };
        });
      },
    },
    [`List${verb}Policies`]: {
      resource,
      handle(p, ctx) {
        const r = h.find(ctx, reqParam(p, h.nameParam, NAME));
        const { items, ...tail } = page(
          p,
          ctx,
          `List${verb}Policies:${nameKey(h.displayName(r))}`,
          r.policies.map((x) => ({ sortKey: x.name, item: x.name })),
        );
        return { PolicyNames: items, ...tail };
      },
    },
    [`Tag${verb}`]: {
      resource,
      handle(p, ctx) {
        const tags = readTags(p);
        return update(p, ctx, (r) => ({ ...r, tags: mergeTags(r.tags, tags) }));
      },
    },
    [`Untag${verb}`]: {
      resource,
      handle(p, ctx) {
        const keys = new Set(listParam(p, 'TagKeys', MAX_TAGS).map((k) => k.toLowerCase()));
        return update(p, ctx, (r) => ({ ...r, tags: r.tags.filter((t) => !keys.has(t.Key.toLowerCase())) }));
      },
    },
    [`List${verb}Tags`]: {
      resource,
      handle(p, ctx) {
        const r = h.find(ctx, reqParam(p, h.nameParam, NAME));
        const { items, ...tail } = page(
          p,
          ctx,
          `List${verb}Tags:${nameKey(h.displayName(r))}`,
          r.tags.map((t) => ({ sortKey: t.Key, item: t })),
        );
        return { Tags: items, ...tail };
      },
    },
  };
}

const userEntity = entityOperations<IamUserRecord>({
  what: 'user',
  verb: 'User',
  nameParam: 'UserName',
  find: findUser,
  change: (u) => [{ kind: 'iamUser', record: u }],
  maxChars: USER_POLICY_CHARS,
  displayName: (u) => u.userName,
});
const roleEntity = entityOperations<IamRoleRecord>({
  what: 'role',
  verb: 'Role',
  nameParam: 'RoleName',
  find: findRole,
  change: (r) => [{ kind: 'iamRole', record: r }],
  maxChars: ROLE_POLICY_CHARS,
  displayName: (r) => r.roleName,
});

export const iamOperations: Record<string, QueryOperation> = {
  CreateUser: {
    resource: userResource,
    handle(p, ctx) {
      const userName = reqParam(p, 'UserName', NAME);
      const path = optParam(p, 'Path', PATH) ?? '/';
      const tags = readTags(p);
      return ctx.store.write(() => {
        if (ctx.store.iam.users.has(nameKey(userName)))
          throw alreadyExists(`User with name ${userName} already exists.`);
        const record: IamUserRecord = {
          userName,
          userId: iamId('AIDA'),
          path,
          createdAt: ctx.now(),
          tags,
          policies: [],
        };
        return { changes: [{ kind: 'iamUser', record }], result: { User: userXml(ctx, record, true) } };
      });
    },
  },

  GetUser: {
    resource: userResource,
    handle(p, ctx) {
      const u = userOrCaller(p, ctx);
      if (!u) {
        const id = ctx.caller.identity;
        if (id.principal.kind !== 'root')
          throw validationError('Must specify userName when calling with non-User credentials');
        return { User: { UserId: ctx.accountId, Arn: rootArn(ctx.accountId), CreateDate: new Date(0) } };
      }
      return { User: userXml(ctx, u, true) };
    },
  },

  ListUsers: {
    resource: anyResource,
    handle(p, ctx) {
      const prefix = optParam(p, 'PathPrefix', { min: 1, max: 512 }) ?? '/';
      const users = [...ctx.store.iam.users.values()].filter((u) => u.path.startsWith(prefix));
      const { items, ...tail } = page(
        p,
        ctx,
        `ListUsers:${prefix}`,
        byName(users, (u) => u.userName),
      );
      return { Users: items.map((u) => userXml(ctx, u, false)), ...tail };
    },
  },

  DeleteUser: {
    resource: userResource,
    async handle(p, ctx) {
      const userName = reqParam(p, 'UserName', NAME);
      await ctx.store.write(() => {
        const u = findUser(ctx, userName);
        if ([...ctx.store.iam.accessKeys.values()].some((k) => nameKey(k.userName) === nameKey(u.userName)))
          throw deleteConflict('Cannot delete entity, must delete access keys first.');
        if (u.policies.length) throw deleteConflict('Cannot delete entity, must delete policies first.');
        return { changes: [{ kind: 'deleteIamUser', userName: u.userName }], result: undefined };
      });
      return undefined;
    },
  },

  CreateAccessKey: {
    resource: userResource,
    handle(p, ctx) {
      const named = optParam(p, 'UserName', NAME);
      return ctx.store.write(() => {
        const u = named !== undefined ? findUser(ctx, named) : ctx.caller.identity.user;
        if (!u) throw validationError('Must specify userName when calling with non-User credentials');
        const existing = [...ctx.store.iam.accessKeys.values()].filter(
          (k) => nameKey(k.userName) === nameKey(u.userName),
        );
        if (existing.length >= ACCESS_KEYS_PER_USER)
          throw limitExceeded(`Cannot exceed quota for AccessKeysPerUser: ${ACCESS_KEYS_PER_USER}`);
        const record: AccessKeyRecord = {
          accessKeyId: iamId('AKIA'),
          secretAccessKey: randomBytes(30).toString('base64'),
          userName: u.userName,
          status: 'Active',
          createdAt: ctx.now(),
        };
        return {
          changes: [{ kind: 'accessKey', record }],
          result: { AccessKey: { ...(keyMetadata(record) as object), SecretAccessKey: record.secretAccessKey } },
        };
      });
    },
  },

  ListAccessKeys: {
    resource: userResource,
    handle(p, ctx) {
      const u = userOrCaller(p, ctx);
      if (!u) throw validationError('Must specify userName when calling with non-User credentials');
      const keys = [...ctx.store.iam.accessKeys.values()].filter((k) => nameKey(k.userName) === nameKey(u.userName));
      const { items, ...tail } = page(
        p,
        ctx,
        `ListAccessKeys:${nameKey(u.userName)}`,
        keys.map((k) => ({ sortKey: `${String(k.createdAt).padStart(15, '0')}:${k.accessKeyId}`, item: k })),
      );
      return { AccessKeyMetadata: items.map(keyMetadata), ...tail };
    },
  },

  DeleteAccessKey: {
    resource: userResource,
    async handle(p, ctx) {
      const named = optParam(p, 'UserName', NAME);
      const id = reqParam(p, 'AccessKeyId', { min: 16, max: 128, pattern: /^[\w]+$/, patternText: '[\\w]+' });
      await ctx.store.write(() => {
        const u = named !== undefined ? findUser(ctx, named) : ctx.caller.identity.user;
        const key = ctx.store.iam.accessKeys.get(id);
        if (!key || (u && nameKey(key.userName) !== nameKey(u.userName)))
          throw noSuchEntity(`The Access Key with id ${id} cannot be found.`);
        return { changes: [{ kind: 'deleteAccessKey', accessKeyId: id }], result: undefined };
      });
      return undefined;
    },
  },

  CreateRole: {
    resource: roleResource,
    handle(p, ctx) {
      const roleName = reqParam(p, 'RoleName', NAME);
      const path = optParam(p, 'Path', PATH) ?? '/';
      const trust = reqParam(p, 'AssumeRolePolicyDocument', DOCUMENT);
      const description = optParam(p, 'Description', { max: 1000 });
      const maxSessionDuration = optIntParam(p, 'MaxSessionDuration', 3600, 43200) ?? 3600;
      const tags = readTags(p);
      checkDocument(trust, 'trust');
      return ctx.store.write(() => {
        if (ctx.store.iam.roles.has(nameKey(roleName)))
          throw alreadyExists(`Role with name ${roleName} already exists.`);
        const record: IamRoleRecord = {
          roleName,
          roleId: iamId('AROA'),
          path,
          createdAt: ctx.now(),
          assumeRolePolicy: trust,
          description,
          maxSessionDuration,
          tags,
          policies: [],
        };
        return { changes: [{ kind: 'iamRole', record }], result: { Role: roleXml(ctx, record, true) } };
      });
    },
  },

  GetRole: {
    resource: roleResource,
    handle(p, ctx) {
      return { Role: roleXml(ctx, findRole(ctx, reqParam(p, 'RoleName', NAME)), true) };
    },
  },

  ListRoles: {
    resource: anyResource,
    handle(p, ctx) {
      const prefix = optParam(p, 'PathPrefix', { min: 1, max: 512 }) ?? '/';
      const roles = [...ctx.store.iam.roles.values()].filter((r) => r.path.startsWith(prefix));
      const { items, ...tail } = page(
        p,
        ctx,
        `ListRoles:${prefix}`,
        byName(roles, (r) => r.roleName),
      );
      return { Roles: items.map((r) => roleXml(ctx, r, false)), ...tail };
    },
  },

  DeleteRole: {
    resource: roleResource,
    async handle(p, ctx) {
      const roleName = reqParam(p, 'RoleName', NAME);
      await ctx.store.write(() => {
        const r = findRole(ctx, roleName);
        if (r.policies.length) throw deleteConflict('Cannot delete entity, must delete policies first.');
        return { changes: [{ kind: 'deleteIamRole', roleName: r.roleName }], result: undefined };
      });
      return undefined;
    },
  },

  UpdateAssumeRolePolicy: {
    resource: roleResource,
    async handle(p, ctx) {
      const roleName = reqParam(p, 'RoleName', NAME);
      const trust = reqParam(p, 'PolicyDocument', DOCUMENT);
      checkDocument(trust, 'trust');
      await ctx.store.write(() => {
        const r = findRole(ctx, roleName);
        return { changes: [{ kind: 'iamRole', record: { ...r, assumeRolePolicy: trust } }], result: undefined };
      });
      return undefined;
    },
  },

  ...userEntity,
  ...roleEntity,
  ...simulationOperations,
};
