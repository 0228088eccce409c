// Runs an IAM or STS request: finds the Action, checks the caller's IAM policies for it (the root user may do
// everything; GetCallerIdentity needs no permission), then runs its handler.
import { accessDeniedMessage, decideAccess } from '../../policy';
import { globalContext, identityPoliciesOf } from '../iam/principals';
import type { QueryContext, QueryResult, QueryService } from './context';
import { queryError, type Params } from './protocol';

export function runQuery(
  service: QueryService,
  params: Params,
  ctx: QueryContext,
): { action: string; result: Promise<QueryResult> } {
  const action = params.get('Action');
  if (action === undefined || !Object.hasOwn(service.operations, action))
    throw queryError(
      'InvalidAction',
      `Could not find operation ${action ?? ''} for version ${params.get('Version') ?? 'NO_VERSION_SPECIFIED'}`,
    );
  const op = service.operations[action];
  const caller = ctx.caller.identity;
  if (op.resource && caller.principal.kind !== 'root') {
    const resource = op.resource(params, ctx);
    const name = `${service.prefix}:${action}`;
    const d = decideAccess({
      principal: caller.principal,
      action: name,
      resource,
      context: globalContext(caller, ctx.caller.region, ctx.now()),
      identityPolicies: identityPoliciesOf(caller),
      resourcePolicyRequired: false,
    });
    if (!d.allowed)
      throw queryError('AccessDenied', accessDeniedMessage(caller.principal.arn, name, resource, d.reason), 403);
  }
  return { action, result: Promise.resolve().then(() => op.handle(params, ctx)) };
}
