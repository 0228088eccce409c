// What a CloudTrail event records of an IAM or STS (Query protocol) request: an allow-list of parameters, named as
// CloudTrail names them (camelCase; `Tags.member.1.Key` → tags[0].key), and the non-secret part of the answer.
// Secret access keys, session tokens and passwords are never in the list.
import type { Json } from '../context';
import type { QueryResult } from '../query/context';
import type { Params } from '../query/protocol';

const PARAMETERS = new Set([
  'UserName',
  'Path',
  'PathPrefix',
  'RoleName',
  'PolicyName',
  'PolicyDocument',
  'AssumeRolePolicyDocument',
  'Description',
  'MaxSessionDuration',
  'AccessKeyId',
  'Status',
  'MaxItems',
  'PolicySourceArn',
  'PolicyInputList',
  'ActionNames',
  'ResourceArns',
  'RoleArn',
  'RoleSessionName',
  'DurationSeconds',
  'Tags',
  'TagKeys',
  'NewPath',
  'NewUserName',
]);

/** Characters a record may take for its parameters. */
const MAX_CHARS = 40_000;
const MAX_INDEX = 1000;

const camel = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

/** requestParameters of an IAM or STS request; undefined (null) when none is recorded. */
export function queryParametersOf(params: Params | undefined): Record<string, unknown> | undefined {
  if (!params) return undefined;
  const out = Object.create(null) as Record<string, unknown>;
  let left = MAX_CHARS;
  let any = false;
  for (const [name, value] of params) {
    const parts = name.split('.');
    if (!PARAMETERS.has(parts[0]) || (left -= name.length + value.length) < 0) continue;
    // Walk `A.member.1.B` into out.a[0].b; `member` is the Query protocol's list marker.
    let node: Record<string, unknown> | unknown[] = out;
    const path = parts.filter((p) => p !== 'member');
    let ok = true;
    for (let i = 0; i < path.length && ok; i++) {
      const index = /^\d{1,4}$/.test(path[i]) ? Number(path[i]) - 1 : -1;
      const last = i === path.length - 1;
      const nextIsIndex = !last && /^\d{1,4}$/.test(path[i + 1]);
      if (Array.isArray(node)) {
        if (index < 0 || index >= MAX_INDEX) ok = false;
        else if (last) node[index] = value;
        else node = (node[index] ??= nextIsIndex ? [] : Object.create(null)) as Record<string, unknown> | unknown[];
      } else {
        if (index >= 0) ok = false;
        else {
          const key = camel(path[i]);
          if (last) node[key] = value;
          else {
            const child = node[key];
            node = (
              child !== undefined && typeof child === 'object'
                ? child
                : (node[key] = nextIsIndex ? [] : Object.create(null))
            ) as Record<string, unknown> | unknown[];
          }
        }
      }
    }
    any ||= ok;
  }
  // Lists whose members were not all sent have holes: drop them.
  for (const [k, v] of Object.entries(out)) if (Array.isArray(v)) out[k] = v.filter((x) => x !== undefined);
  return any ? out : undefined;
}

/** responseElements of an IAM or STS answer: access key ids and expiries, never a secret key or session token. */
export function queryResponseElementsOf(action: string, result: QueryResult | undefined): Json | undefined {
  if (!result) return undefined;
  const r = result as Record<string, unknown>;
  if (action === 'CreateAccessKey') {
    const k = r.AccessKey as Record<string, unknown> | undefined;
    return k
      ? { accessKey: { accessKeyId: k.AccessKeyId, status: k.Status, userName: k.UserName, createDate: k.CreateDate } }
      : undefined;
  }
  if (action === 'AssumeRole') {
    const c = r.Credentials as Record<string, unknown> | undefined;
    const u = r.AssumedRoleUser as Record<string, unknown> | undefined;
    return {
      credentials: c ? { accessKeyId: c.AccessKeyId, expiration: c.Expiration } : undefined,
      assumedRoleUser: u ? { assumedRoleId: u.AssumedRoleId, arn: u.Arn } : undefined,
    };
  }
  return undefined;
}
