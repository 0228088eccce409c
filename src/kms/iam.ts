// IAM over @aws-sdk/client-iam, from the connection's own credentials, endpoint and region: the account's roles and
// users (for pickers), and SimulatePrincipalPolicy for Check Access — the principal's identity policies on a key,
// with the key policy as ResourcePolicy where IAM accepts it (a user as CallerArn), and the encryption context as
// context entries. SDK-bound: reached through loadKms() (kms/api.ts).
import {
  IAMClient,
  ListRolesCommand,
  ListUsersCommand,
  SimulatePrincipalPolicyCommand,
  type ContextEntry,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { IdentityVerdict } from '../policy/explain';
import type { KmsConnection } from './connection';

const clients = new WeakMap<KmsConnection, IAMClient>();

/** The IAM client of a connection (one per connection): same credentials, endpoint and region as its KMS client. */
export function iamClientOf(connection: KmsConnection): IAMClient {
  let client = clients.get(connection);
  if (!client) {
    const s = connection.settings;
    client = new IAMClient({
      region: connection.region,
      endpoint: s.kind === 'sandbox' ? s.endpoint : s.endpoint?.trim() || undefined,
      credentials: connection.client.config.credentials,
      maxAttempts: 2,
    });
    clients.set(connection, client);
  }
  return client;
}

/** The account of the connection's credentials (STS GetCallerIdentity; the sandbox's own account when known). */
export async function callerAccount(connection: KmsConnection, signal?: AbortSignal): Promise<string> {
  const s = connection.settings;
  if (s.kind === 'sandbox' && s.accountId) return s.accountId;
  const sts = new STSClient({
    region: connection.region,
    endpoint: s.kind === 'sandbox' ? s.endpoint : s.endpoint?.trim() || undefined,
    credentials: connection.client.config.credentials,
    maxAttempts: 2,
  });
  try {
    const out = await sts.send(new GetCallerIdentityCommand({}), { abortSignal: signal });
    if (!out.Account) throw new Error('GetCallerIdentity returned no account.');
    return out.Account;
  } finally {
    sts.destroy();
  }
}

export interface IamPrincipal {
  readonly arn: string;
  readonly kind: 'role' | 'user';
  readonly name: string;
}

/** Every role and user of the account (ListRoles, ListUsers; at most `max` of each). */
export async function listPrincipals(iam: IAMClient, signal?: AbortSignal, max = 1000): Promise<IamPrincipal[]> {
  const out: IamPrincipal[] = [];
  for (const kind of ['role', 'user'] as const) {
    let marker: string | undefined;
    let count = 0;
    do {
      const page =
        kind === 'role'
          ? await iam.send(new ListRolesCommand({ Marker: marker }), { abortSignal: signal })
          : await iam.send(new ListUsersCommand({ Marker: marker }), { abortSignal: signal });
      const items = 'Roles' in page ? (page.Roles ?? []) : 'Users' in page ? (page.Users ?? []) : [];
      for (const i of items) {
        const name = 'RoleName' in i ? i.RoleName : 'UserName' in i ? i.UserName : undefined;
        if (i.Arn && name) out.push({ arn: i.Arn, kind, name });
      }
      count += items.length;
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker && count < max);
  }
  return out;
}

export interface SimulationInput {
  readonly principalArn: string;
  readonly action: string;
  readonly keyArn: string;
  readonly keyPolicy: string;
  readonly encryptionContext?: Readonly<Record<string, string>>;
}

/** The IAM role or user whose policies apply to a principal ARN (an assumed-role session's role), or undefined. */
export function policySourceOf(principalArn: string): string | undefined {
  const m = /^arn:(aws[a-z-]*):(iam|sts)::(\d{12}):(user\/.+|role\/.+|assumed-role\/([^/]+)\/.+)$/.exec(principalArn);
  if (!m) return undefined;
  return m[5] ? `arn:${m[1]}:iam::${m[3]}:role/${m[5]}` : principalArn;
}

/**
 * What the principal's identity policies say about the action on the key (SimulatePrincipalPolicy), or undefined
 * when IAM has no policies for it (the account root). IAM's errors (AccessDenied, …) are thrown.
 */
export async function simulateIdentity(
  iam: IAMClient,
  input: SimulationInput,
  signal?: AbortSignal,
): Promise<IdentityVerdict | undefined> {
  const source = policySourceOf(input.principalArn);
  if (!source) return undefined;
  const account = input.keyArn.split(':')[4];
  const context: ContextEntry[] = Object.entries(input.encryptionContext ?? {}).map(([k, v]) => ({
    ContextKeyName: `kms:EncryptionContext:${k}`,
    ContextKeyType: 'string',
    ContextKeyValues: [v],
  }));
  const keys = Object.keys(input.encryptionContext ?? {});
  if (keys.length)
    context.push({ ContextKeyName: 'kms:EncryptionContextKeys', ContextKeyType: 'stringList', ContextKeyValues: keys });
  const isUser = source.includes(':user/');
  const out = await iam.send(
    new SimulatePrincipalPolicyCommand({
      PolicySourceArn: source,
      ActionNames: [input.action],
      ResourceArns: [input.keyArn],
      ResourceOwner: `arn:aws:iam::${account}:root`,
      // IAM accepts a ResourcePolicy only with a user as the caller.
      ...(isUser ? { ResourcePolicy: input.keyPolicy, CallerArn: source } : {}),
      ContextEntries: context.length ? context : undefined,
    }),
    { abortSignal: signal },
  );
  const result = out.EvaluationResults?.[0];
  const identity = (result?.MatchedStatements ?? []).filter((m) => m.SourcePolicyType !== 'resource');
  const explicitDeny = result?.EvalDecision === 'explicitDeny';
  return {
    explicitDeny: explicitDeny && identity.length > 0,
    allows: !explicitDeny && identity.length > 0,
    policies: [...new Set(identity.map((m) => m.SourcePolicyId ?? '').filter(Boolean))],
  };
}
