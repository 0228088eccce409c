// SimulatePrincipalPolicy and SimulateCustomPolicy: IAM's policy simulator, answered by the same evaluator that
// authorizes the sandbox's own requests (src/policy), with ResourcePolicy, CallerArn and ContextEntries.
import { decideAccess, evaluatePolicy, RequestContext, type Policy, type Principal } from '../../policy';
import type { QueryContext, QueryOperation } from '../query/context';
import {
  listParam,
  optParam,
  queryError,
  reqParam,
  structListParam,
  validationError,
  type Params,
  type XmlValue,
} from '../query/protocol';
import { nameKey } from './model';
import { checkDocument, findRole, findUser } from './operations';
import { identityPoliciesOf, roleArn, userArn } from './principals';

const CONTEXT_TYPES = new Set([
  'string',
  'stringList',
  'numeric',
  'numericList',
  'boolean',
  'booleanList',
  'ip',
  'ipList',
  'binary',
  'binaryList',
  'date',
  'dateList',
]);

interface Source {
  id: string;
  type: string;
  policy: Policy;
}

function readContext(p: Params): RequestContext {
  const ctx = new RequestContext();
  for (const e of structListParam(p, 'ContextEntries', ['ContextKeyName', 'ContextKeyValues', 'ContextKeyType'])) {
    const name = e.get('ContextKeyName');
    const type = e.get('ContextKeyType') ?? 'string';
    if (!name || name.length > 256)
      throw validationError('Each context entry needs a ContextKeyName of 5 to 256 characters.');
    if (!CONTEXT_TYPES.has(type))
      throw validationError(
        `1 validation error detected: Value '${type}' at 'contextEntries.member.contextKeyType' failed to satisfy constraint: Member must satisfy enum value set: [${[...CONTEXT_TYPES].join(', ')}]`,
      );
    const values: string[] = [];
    for (let j = 1; e.has(`ContextKeyValues.${j}`); j++) values.push(e.get(`ContextKeyValues.${j}`) as string);
    ctx.set(name, type.endsWith('List') ? values : values[0]);
  }
  return ctx;
}

function inputPolicies(p: Params, required: boolean): Source[] {
  const docs = listParam(p, 'PolicyInputList', 100);
  if (required && docs.length === 0)
    throw validationError(
      "1 validation error detected: Value null at 'policyInputList' failed to satisfy constraint: Member must not be null",
    );
  return docs.map((doc, i) => ({
    id: `PolicyInputList.${i + 1}`,
    type: 'none',
    policy: checkDocument(doc, 'identity'),
  }));
}

/** The principal a caller ARN names (a user, a role or the account root), for matching a resource policy's Principal. */
function principalOf(arn: string): Principal {
  const m = /^arn:aws[a-z-]*:(iam|sts)::(\d{12}):(root|user\/.+|role\/.+|assumed-role\/[^/]+\/.+)$/.exec(arn);
  if (!m) throw queryError('InvalidInput', `Invalid ARN: ${arn}`);
  const account = m[2];
  if (m[3] === 'root') return { arn, account, kind: 'root' };
  if (m[3].startsWith('user/')) return { arn, account, kind: 'user' };
  if (m[3].startsWith('role/')) return { arn, account, kind: 'role', roleArn: arn };
  const role = m[3].split('/')[1];
  return { arn, account, kind: 'assumedRole', roleArn: `arn:aws:iam::${account}:role/${role}` };
}

function simulate(
  p: Params,
  ctx: QueryContext,
  identity: Source[],
  principal: Principal | undefined,
): Record<string, XmlValue> {
  const actions = listParam(p, 'ActionNames', 1000);
  if (actions.length === 0)
    throw validationError(
      "1 validation error detected: Value null at 'actionNames' failed to satisfy constraint: Member must not be null",
    );
  const resources = listParam(p, 'ResourceArns', 1000);
  const resourcePolicyText = optParam(p, 'ResourcePolicy', { min: 1, max: 131072 });
  const resourcePolicy = resourcePolicyText === undefined ? undefined : checkDocument(resourcePolicyText, 'resource');
  const callerArn = optParam(p, 'CallerArn', { min: 1, max: 2048 });
  const caller = callerArn !== undefined ? principalOf(callerArn) : principal;
  if (resourcePolicy && !caller)
    throw queryError('InvalidInput', 'A CallerArn is required when a ResourcePolicy is simulated.');
  const owner = optParam(p, 'ResourceOwner', { min: 1, max: 2048 });
  const resourceAccount = owner ? /(\d{12})/.exec(owner)?.[1] : undefined;
  const context = readContext(p);
  const who: Principal = caller ?? {
    arn: `arn:aws:iam::${ctx.accountId}:user/simulated`,
    account: ctx.accountId,
    kind: 'user',
  };

  const results: XmlValue[] = [];
  for (const action of actions)
    for (const resource of resources.length ? resources : ['*']) {
      const req = { principal: who, action, resource, context };
      const decision = decideAccess({
        ...req,
        resourcePolicy,
        resourceAccount,
        identityPolicies: identity.map((s) => s.policy),
        resourcePolicyRequired: false,
      });
      const matched: XmlValue[] = [];
      const missing = new Set<string>();
      const sources: Array<Source & { resource: boolean }> = [...identity.map((s) => ({ ...s, resource: false }))];
      if (resourcePolicy)
        sources.push({ id: 'ResourcePolicy', type: 'resource', policy: resourcePolicy, resource: true });
      for (const s of sources) {
        const r = evaluatePolicy(s.policy, req, s.resource);
        matched.push(...[...r.denies, ...r.allows].map(() => ({ SourcePolicyId: s.id, SourcePolicyType: s.type })));
        for (const st of s.policy.statements)
          for (const c of st.conditions) if (context.get(c.key) === undefined) missing.add(c.key);
      }
      results.push({
        EvalActionName: action,
        EvalResourceName: resource,
        EvalDecision: decision.allowed
          ? 'allowed'
          : decision.reason.startsWith('explicitDeny')
            ? 'explicitDeny'
            : 'implicitDeny',
        MatchedStatements: matched,
        MissingContextValues: [...missing],
      });
    }
  return { EvaluationResults: results, IsTruncated: false };
}

export const simulationOperations: Record<string, QueryOperation> = {
  SimulatePrincipalPolicy: {
    resource: (p) => p.get('PolicySourceArn') ?? '*',
    handle(p, ctx) {
      const source = reqParam(p, 'PolicySourceArn', { min: 20, max: 2048 });
      const m = /^arn:aws[a-z-]*:iam::(\d{12}):(user|role)(\/.*\/|\/)([\w+=,.@-]+)$/.exec(source);
      if (!m || m[1] !== ctx.accountId) throw queryError('InvalidInput', `Invalid ARN: ${source}`);
      const entity = m[2] === 'user' ? findUser(ctx, m[4]) : findRole(ctx, m[4]);
      const caller =
        m[2] === 'user'
          ? { user: ctx.store.iam.users.get(nameKey(m[4])) }
          : { role: ctx.store.iam.roles.get(nameKey(m[4])) };
      const own = identityPoliciesOf({
        accessKeyId: '',
        userId: '',
        principal: { arn: source, account: ctx.accountId, kind: 'user' },
        ...caller,
      });
      const sources: Source[] = own.map((policy, i) => ({
        id: entity.policies[i]?.name ?? `policy${i + 1}`,
        type: m[2],
        policy,
      }));
      const arn = m[2] === 'user' ? userArn(ctx.accountId, entity as never) : roleArn(ctx.accountId, entity as never);
      const principal: Principal =
        m[2] === 'user'
          ? { arn, account: ctx.accountId, kind: 'user' }
          : { arn, account: ctx.accountId, kind: 'role', roleArn: arn };
      return simulate(p, ctx, [...sources, ...inputPolicies(p, false)], principal);
    },
  },

  SimulateCustomPolicy: {
    resource: () => '*',
    handle(p, ctx) {
      return simulate(p, ctx, inputPolicies(p, true), undefined);
    },
  },
};
