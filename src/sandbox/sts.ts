// The STS Query API subset: GetCallerIdentity (no permission needed) and AssumeRole (the role's trust policy and the
// caller's IAM policies evaluated; temporary ASIA credentials whose session token the sandbox accepts until expiry).
import { decideAccess, parsePolicy, PolicyError } from '../policy';
import { nameKey } from './iam/model';
import { readTags } from './iam/operations';
import { globalContext, iamId, identityPoliciesOf, roleArn } from './iam/principals';
import type { QueryOperation } from './query/context';
import { optIntParam, queryError, reqParam } from './query/protocol';

export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

const SESSION_NAME = { min: 2, max: 64, pattern: /^[\w+=,.@-]*$/, patternText: '[\\w+=,.@-]*' };
const accessDenied = (message: string) => queryError('AccessDenied', message, 403);

export const stsOperations: Record<string, QueryOperation> = {
  GetCallerIdentity: {
    handle(_p, ctx) {
      const id = ctx.caller.identity;
      return { UserId: id.userId, Account: id.principal.account, Arn: id.principal.arn };
    },
  },

  AssumeRole: {
    handle(p, ctx) {
      const arn = reqParam(p, 'RoleArn', { min: 20, max: 2048 });
      const sessionName = reqParam(p, 'RoleSessionName', SESSION_NAME);
      const duration = optIntParam(p, 'DurationSeconds', 900, 43200) ?? 3600;
      const tags = readTags(p, 'Tags');
      const caller = ctx.caller.identity;
      if (caller.principal.kind === 'root') throw accessDenied('Roles may not be assumed by root accounts.');
      const refused = (action = 'sts:AssumeRole') =>
        accessDenied(`User: ${caller.principal.arn} is not authorized to perform: ${action} on resource: ${arn}`);
      const m = /^arn:aws[a-z-]*:iam::(\d{12}):role(\/.*\/|\/)([\w+=,.@-]+)$/.exec(arn);
      if (!m) throw queryError('ValidationError', `${arn} is invalid`);
      const role = m[1] === ctx.accountId ? ctx.store.iam.roles.get(nameKey(m[3])) : undefined;
      if (!role || roleArn(ctx.accountId, role) !== arn) throw refused();
      if (duration > role.maxSessionDuration)
        throw queryError(
          'ValidationError',
          'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
        );
      let trust;
      try {
        trust = parsePolicy(role.assumeRolePolicy, { kind: 'trust' });
      } catch (err) {
        if (err instanceof PolicyError) throw refused();
        throw err;
      }
      const now = ctx.now();
      const context = globalContext(caller, ctx.caller.region, now).set('sts:RoleSessionName', sessionName);
      for (const t of tags) context.set(`aws:RequestTag/${t.Key}`, t.Value);
      if (tags.length)
        context.set(
          'aws:TagKeys',
          tags.map((t) => t.Key),
        );
      const action = tags.length ? ['sts:AssumeRole', 'sts:TagSession'] : ['sts:AssumeRole'];
      for (const a of action) {
        const d = decideAccess({
          principal: caller.principal,
          action: a,
          resource: arn,
          context,
          resourcePolicy: trust,
          resourceAccount: ctx.accountId,
          identityPolicies: identityPoliciesOf(caller),
          resourcePolicyRequired: true,
        });
        if (!d.allowed) throw refused(a);
      }
      const accessKeyId = iamId('ASIA');
      const expiresAt = now + duration * 1000;
      const token = ctx.sessions.issue({
        accessKeyId,
        roleName: role.roleName,
        roleId: role.roleId,
        sessionName,
        expiresAt,
        tags: tags.length ? tags : undefined,
      });
      return {
        Credentials: {
          AccessKeyId: accessKeyId,
          SecretAccessKey: ctx.sessions.secretFor(accessKeyId),
          SessionToken: token,
          Expiration: new Date(expiresAt),
        },
        AssumedRoleUser: {
          AssumedRoleId: `${role.roleId}:${sessionName}`,
          Arn: `arn:aws:sts::${ctx.accountId}:assumed-role/${role.roleName}/${sessionName}`,
        },
        PackedPolicySize: tags.length ? 1 : undefined,
      };
    },
  },
};
