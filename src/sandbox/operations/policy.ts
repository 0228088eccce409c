// Key policy: GetKeyPolicy, PutKeyPolicy, ListKeyPolicies; the default policy AWS writes for a new key, the policy
// of an AWS managed key, and the checks PutKeyPolicy and CreateKey apply — JSON, IAM policy grammar, 32 KB, and the
// lockout safety check.
import { Buffer } from 'node:buffer';
import { newPolicyAllowsCaller } from '../authorize';
import type { HandlerMap, Json as Input, RequestContext } from '../context';
import { KmsError, notFound } from '../errors';
import type { KeyRecord } from '../model';
import { pageAfter, pageOf, pageTail, readPageMembers } from '../paging';
import { resolveKey } from '../resolve';
import { constraintError, KEY_ID, optBool, optString, PATTERNS, reqString } from '../validate';

/** The only policy name KMS has. */
const POLICY_NAME = 'default';

/** PolicyName: optional in the newer API (default "default"), [\w]+ of 1–128; any other name has no policy. */
function readPolicyName(input: Input): string {
  const name = optString(input, 'PolicyName', { min: 1, max: 128 }) ?? POLICY_NAME;
  if (!/^[\w]+$/.test(name))
    throw constraintError('PolicyName', name, 'Member must satisfy regular expression pattern: [\\w]+');
  return name;
}

/** The policy a key has: the one set by CreateKey or PutKeyPolicy, else the default key policy. */
export const policyOf = (ctx: RequestContext, key: KeyRecord) => key.policy ?? defaultKeyPolicy(ctx.accountId);

export const policyOperations: HandlerMap = {
  GetKeyPolicy(input, ctx) {
    const ref = reqString(input, 'KeyId', KEY_ID);
    const name = readPolicyName(input);
    const key = resolveKey(ctx, ref, { aliases: false, op: 'GetKeyPolicy' });
    if (name !== POLICY_NAME) throw notFound(`No such policy exists: ${name}`);
    return { Policy: policyOf(ctx, key), PolicyName: POLICY_NAME };
  },

  async PutKeyPolicy(input, ctx) {
    const ref = reqString(input, 'KeyId', KEY_ID);
    const name = readPolicyName(input);
    const policy = reqString(input, 'Policy', { min: 1, max: 131072, pattern: PATTERNS.POLICY });
    const bypass = optBool(input, 'BypassPolicyLockoutSafetyCheck') ?? false;
    await ctx.store.write(() => {
      const key = resolveKey(ctx, ref, { aliases: false, op: 'PutKeyPolicy' });
      if (name !== POLICY_NAME) throw notFound(`No such policy exists: ${name}`);
      checkKeyPolicy(policy, ctx, key, bypass);
      return { changes: [{ kind: 'key', record: { ...key, policy } }], result: undefined };
    });
    return {};
  },

  ListKeyPolicies(input, ctx) {
    const ref = reqString(input, 'KeyId', KEY_ID);
    const members = readPageMembers(input, { max: 1000, default: 100 });
    const key = resolveKey(ctx, ref, { aliases: false, op: 'ListKeyPolicies' });
    const scope = `ListKeyPolicies:${key.keyId}`;
    const page = pageAfter(ctx, scope, members);
    const { items, more, last } = pageOf([{ sortKey: POLICY_NAME, item: POLICY_NAME }], page);
    return { PolicyNames: items, ...pageTail(ctx, scope, more, last) };
  },
};

/** AWS's limit on a key policy document (the API's member constraint is larger). */
export const MAX_POLICY_BYTES = 32768;

const malformed = (message: string) => new KmsError('MalformedPolicyDocumentException', message);

/**
 * The default key policy, formatted as AWS returns it: the account (root) may do everything with the key. The text of
 * the last account asked for is kept: authorization reads it for every request to a key that has no policy of its own,
 * and the same string (its hash computed once) finds its parsed policy at once.
 */
export function defaultKeyPolicy(accountId: string): string {
  if (accountId !== lastDefault.accountId) lastDefault = { accountId, text: defaultKeyPolicyText(accountId) };
  return lastDefault.text;
}
let lastDefault = { accountId: '', text: '' };

function defaultKeyPolicyText(accountId: string): string {
  return `{
  "Version" : "2012-10-17",
  "Id" : "key-default-1",
  "Statement" : [ {
    "Sid" : "Enable IAM User Permissions",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:aws:iam::${accountId}:root"
    },
    "Action" : "kms:*",
    "Resource" : "*"
  } ]
}`;
}

/** The key policy of an AWS managed key: use only through the owning service; the account may read metadata. */
export function awsManagedKeyPolicy(accountId: string, region: string, service: string, serviceName: string): string {
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Id: `auto-${service}-2`,
      Statement: [
        {
          Sid: `Allow access through ${serviceName} for all principals in the account that are authorized to use ${serviceName}`,
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: [
            'kms:Encrypt',
            'kms:Decrypt',
            'kms:ReEncrypt*',
            'kms:GenerateDataKey*',
            'kms:CreateGrant',
            'kms:DescribeKey',
          ],
          Resource: '*',
          Condition: {
            StringEquals: { 'kms:CallerAccount': accountId, 'kms:ViaService': `${service}.${region}.amazonaws.com` },
          },
        },
        {
          Sid: 'Allow direct access to key metadata to the account',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${accountId}:root` },
          Action: ['kms:Describe*', 'kms:Get*', 'kms:List*', 'kms:RevokeGrant'],
          Resource: '*',
        },
      ],
    },
    null,
    2,
  );
}

type Json = Record<string, unknown>;

const STATEMENT_KEYS = new Set([
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
]);
const PRINCIPAL_TYPES = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);
const AWS_PRINCIPAL =
  /^(\*|\d{12}|arn:aws[a-z-]*:(iam|sts)::\d{12}:(root|(user|role|assumed-role|federated-user|group)\/[\w+=,.@/-]+))$/;
const ACTION = /^(\*|[a-z0-9-]+:[A-Za-z0-9*?]+)$/;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

/**
 * Checks a key policy as PutKeyPolicy and CreateKey do: size (LimitExceededException), JSON and IAM grammar
 * (MalformedPolicyDocumentException), then — unless bypassed — AWS's lockout safety check: the new policy must
 * still let the caller (with its IAM policies) call PutKeyPolicy on the key.
 */
export function checkKeyPolicy(text: string, ctx: RequestContext, key: KeyRecord, bypassLockoutCheck: boolean): void {
  if (Buffer.byteLength(text, 'utf8') > MAX_POLICY_BYTES)
    throw new KmsError(
      'LimitExceededException',
      `The key policy exceeds the maximum size of ${MAX_POLICY_BYTES} bytes.`,
    );
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw malformed('The key policy is not valid JSON.');
  }
  if (!isObject(doc)) throw malformed('The key policy must be a JSON object.');
  for (const k of Object.keys(doc))
    if (!['Version', 'Id', 'Statement'].includes(k)) throw malformed(`The key policy has an unknown element: ${k}.`);
  if (doc.Version !== undefined && doc.Version !== '2012-10-17' && doc.Version !== '2008-10-17')
    throw malformed('The policy Version must be "2012-10-17" or "2008-10-17".');
  if (doc.Id !== undefined && typeof doc.Id !== 'string') throw malformed('The policy Id must be a string.');
  if (doc.Statement === undefined) throw malformed('The key policy has no Statement.');
  const statements = asList(doc.Statement);
  if (statements.length === 0) throw malformed('The key policy has no Statement.');
  const sids = new Set<string>();
  for (const s of statements) {
    checkStatement(s);
    if (typeof s.Sid === 'string' && s.Sid !== '') {
      if (sids.has(s.Sid)) throw malformed('Statement IDs (SID) in a single policy must be unique.');
      sids.add(s.Sid);
    }
  }
  if (!bypassLockoutCheck && !newPolicyAllowsCaller(ctx, key, text))
    throw malformed('The new key policy will not allow you to update the key policy in the future.');
}

function checkStatement(s: unknown): asserts s is Json {
  if (!isObject(s)) throw malformed('Each policy statement must be a JSON object.');
  for (const k of Object.keys(s))
    if (!STATEMENT_KEYS.has(k)) throw malformed(`A policy statement has an unknown element: ${k}.`);
  if (s.Sid !== undefined && typeof s.Sid !== 'string') throw malformed('A statement Sid must be a string.');
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny')
    throw malformed('A policy statement must have an Effect of "Allow" or "Deny".');
  const [principal] = exactlyOne(s, 'Principal', 'NotPrincipal');
  checkPrincipal(s[principal]);
  const [action] = exactlyOne(s, 'Action', 'NotAction');
  for (const a of nonEmptyStrings(s[action], action))
    if (!ACTION.test(a)) throw malformed(`Policy contains a statement with one or more invalid actions: ${a}`);
  const [resource] = exactlyOne(s, 'Resource', 'NotResource');
  nonEmptyStrings(s[resource], resource);
  if (s.Condition !== undefined) {
    if (!isObject(s.Condition)) throw malformed('A statement Condition must be a JSON object.');
    for (const block of Object.values(s.Condition))
      if (!isObject(block)) throw malformed('Each Condition operator must map to a JSON object.');
  }
}

function exactlyOne(s: Json, a: string, b: string): [string] {
  const has = [a, b].filter((k) => s[k] !== undefined);
  if (has.length !== 1) throw malformed(`A policy statement must have exactly one of ${a} or ${b}.`);
  return [has[0]];
}

function nonEmptyStrings(v: unknown, name: string): string[] {
  const list = asList(v);
  if (list.length === 0 || !list.every((x) => typeof x === 'string' && x !== ''))
    throw malformed(`A statement ${name} must be a string or a list of strings.`);
  return list as string[];
}

function checkPrincipal(p: unknown): void {
  if (p === '*') return;
  if (!isObject(p) || Object.keys(p).length === 0)
    throw malformed('Policy contains a statement with one or more invalid principals.');
  for (const [type, value] of Object.entries(p)) {
    if (!PRINCIPAL_TYPES.has(type)) throw malformed('Policy contains a statement with one or more invalid principals.');
    for (const v of nonEmptyStrings(value, 'Principal'))
      if (type === 'AWS' && !AWS_PRINCIPAL.test(v))
        throw malformed('Policy contains a statement with one or more invalid principals.');
  }
}
