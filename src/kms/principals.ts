// IAM principals of a connection (the sandbox's roles and users): list, create, delete, read and write their inline
// policies, and credentials to act as one — a role through STS AssumeRole (`fromTemporaryCredentials`, refreshed by
// the SDK before expiry), a user through an access key of theirs kept in a SecretStore (never logged or shown).
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListRolePoliciesCommand,
  ListUserPoliciesCommand,
  paginateListRoles,
  paginateListUsers,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { principalArn, type PrincipalRef } from './principalRef';

export * from './principalRef';

/** Where a client goes and as whom. */
export interface ClientTarget {
  endpoint?: string;
  region: string;
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

/** Keeps secrets (an access key's secret) out of settings and logs: VS Code's SecretStorage, or memory in tests. */
export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

export interface PrincipalSummary extends PrincipalRef {
  arn: string;
  path: string;
  created?: Date;
}

/** The IAM user KMS Explorer signs AssumeRole with (AWS refuses AssumeRole by the account root); hidden from lists. */
export const ASSUMER_USER = 'kms-explorer-assumer';
export const ASSUMER_PATH = '/kms-explorer/';
/** The inline policy a principal gets when none exists yet and the user opens one. */
export const DEFAULT_POLICY_NAME = 'kms-access';

export function iamClient(target: ClientTarget): IAMClient {
  return new IAMClient({ ...target, maxAttempts: 2 });
}

export function stsClient(target: ClientTarget): STSClient {
  return new STSClient({ ...target, maxAttempts: 2 });
}

export interface CallerIdentity {
  arn: string;
  account: string;
  userId: string;
}

/** STS GetCallerIdentity: who these credentials are (needs no permission). */
export async function callerIdentity(target: ClientTarget, signal?: AbortSignal): Promise<CallerIdentity> {
  const sts = stsClient(target);
  try {
    const out = await sts.send(new GetCallerIdentityCommand({}), { abortSignal: signal });
    return { arn: out.Arn ?? '', account: out.Account ?? '', userId: out.UserId ?? '' };
  } finally {
    sts.destroy();
  }
}

/** Every role and user (sorted by kind then name), without KMS Explorer's own assumer user. */
export async function listPrincipals(iam: IAMClient): Promise<PrincipalSummary[]> {
  const out: PrincipalSummary[] = [];
  for await (const page of paginateListRoles({ client: iam }, {}))
    for (const r of page.Roles ?? [])
      out.push({ kind: 'role', name: r.RoleName ?? '', arn: r.Arn ?? '', path: r.Path ?? '/', created: r.CreateDate });
  for await (const page of paginateListUsers({ client: iam }, {}))
    for (const u of page.Users ?? [])
      if (u.Path !== ASSUMER_PATH)
        out.push({
          kind: 'user',
          name: u.UserName ?? '',
          arn: u.Arn ?? '',
          path: u.Path ?? '/',
          created: u.CreateDate,
        });
  return out;
}

/** A trust policy that lets this account's principals (whose IAM policies allow sts:AssumeRole) assume the role. */
export function trustThisAccount(accountId: string, partition = 'aws'): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: `arn:${partition}:iam::${accountId}:root` }, Action: 'sts:AssumeRole' },
    ],
  });
}

export async function createPrincipal(iam: IAMClient, ref: PrincipalRef, accountId: string): Promise<string> {
  if (ref.kind === 'role') {
    const out = await iam.send(
      new CreateRoleCommand({
        RoleName: ref.name,
        AssumeRolePolicyDocument: trustThisAccount(accountId),
        Description: 'Created by KMS Explorer',
      }),
    );
    return out.Role?.Arn ?? principalArn(accountId, ref);
  }
  const out = await iam.send(new CreateUserCommand({ UserName: ref.name }));
  return out.User?.Arn ?? principalArn(accountId, ref);
}

/** Creates the role (trusted by this account) unless it exists; true when it was created. */
export async function ensureRole(iam: IAMClient, name: string, accountId: string): Promise<boolean> {
  try {
    await iam.send(new GetRoleCommand({ RoleName: name }));
    return false;
  } catch (err) {
    if ((err as { name?: string }).name !== 'NoSuchEntityException') throw err;
  }
  await createPrincipal(iam, { kind: 'role', name }, accountId);
  return true;
}

/** The names of a principal's inline policies. */
export async function listInlinePolicies(iam: IAMClient, ref: PrincipalRef): Promise<string[]> {
  const names: string[] = [];
  let Marker: string | undefined;
  do {
    const out =
      ref.kind === 'role'
        ? await iam.send(new ListRolePoliciesCommand({ RoleName: ref.name, Marker }))
        : await iam.send(new ListUserPoliciesCommand({ UserName: ref.name, Marker }));
    names.push(...(out.PolicyNames ?? []));
    Marker = out.IsTruncated ? out.Marker : undefined;
  } while (Marker);
  return names;
}

/** An inline policy's document (IAM answers it URL-encoded), or undefined when the principal has none of that name. */
export async function getInlinePolicy(
  iam: IAMClient,
  ref: PrincipalRef,
  policyName: string,
): Promise<string | undefined> {
  try {
    const out =
      ref.kind === 'role'
        ? await iam.send(new GetRolePolicyCommand({ RoleName: ref.name, PolicyName: policyName }))
        : await iam.send(new GetUserPolicyCommand({ UserName: ref.name, PolicyName: policyName }));
    return out.PolicyDocument === undefined ? undefined : decodeURIComponent(out.PolicyDocument);
  } catch (err) {
    if ((err as { name?: string }).name === 'NoSuchEntityException' && /policy/i.test(String((err as Error).message)))
      return undefined;
    throw err;
  }
}

export async function putInlinePolicy(iam: IAMClient, ref: PrincipalRef, policyName: string, document: string) {
  if (ref.kind === 'role')
    await iam.send(new PutRolePolicyCommand({ RoleName: ref.name, PolicyName: policyName, PolicyDocument: document }));
  else
    await iam.send(new PutUserPolicyCommand({ UserName: ref.name, PolicyName: policyName, PolicyDocument: document }));
}

/** What deleting a principal takes with it. */
export interface PrincipalDependents {
  policies: string[];
  accessKeys: string[];
}

export async function principalDependents(iam: IAMClient, ref: PrincipalRef): Promise<PrincipalDependents> {
  const policies = await listInlinePolicies(iam, ref);
  if (ref.kind === 'role') return { policies, accessKeys: [] };
  const keys = await iam.send(new ListAccessKeysCommand({ UserName: ref.name }));
  return { policies, accessKeys: (keys.AccessKeyMetadata ?? []).map((k) => k.AccessKeyId ?? '').filter(Boolean) };
}

/** Deletes the principal after its inline policies and access keys (IAM refuses to delete one that has them). */
export async function deletePrincipal(iam: IAMClient, ref: PrincipalRef, secrets?: SecretStore): Promise<void> {
  const { policies, accessKeys } = await principalDependents(iam, ref);
  for (const PolicyName of policies)
    if (ref.kind === 'role') await iam.send(new DeleteRolePolicyCommand({ RoleName: ref.name, PolicyName }));
    else await iam.send(new DeleteUserPolicyCommand({ UserName: ref.name, PolicyName }));
  if (ref.kind === 'role') {
    await iam.send(new DeleteRoleCommand({ RoleName: ref.name }));
    return;
  }
  for (const AccessKeyId of accessKeys) await iam.send(new DeleteAccessKeyCommand({ UserName: ref.name, AccessKeyId }));
  await iam.send(new DeleteUserCommand({ UserName: ref.name }));
  await secrets?.delete(secretKey(ref.name));
}

const secretKey = (userName: string) => `kmsExplorer.sandbox.accessKey.${userName.toLowerCase()}`;

/**
 * An access key of the user: the one kept in `secrets` while IAM still lists it, else a new one (kept for next time).
 * IAM allows two per user: when the user already has two that KMS Explorer does not hold, this fails with IAM's
 * LimitExceeded message.
 */
export async function userAccessKey(
  iam: IAMClient,
  userName: string,
  secrets: SecretStore,
): Promise<AwsCredentialIdentity> {
  const kept = await secrets.get(secretKey(userName));
  if (kept) {
    const parsed = parseKept(kept);
    const listed = await iam.send(new ListAccessKeysCommand({ UserName: userName }));
    if (parsed && listed.AccessKeyMetadata?.some((k) => k.AccessKeyId === parsed.accessKeyId && k.Status === 'Active'))
      return parsed;
  }
  const out = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  const key = out.AccessKey;
  if (!key?.AccessKeyId || !key.SecretAccessKey) throw new Error('CreateAccessKey returned no access key.');
  const creds = { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
  await secrets.store(secretKey(userName), JSON.stringify(creds));
  return creds;
}

function parseKept(text: string): AwsCredentialIdentity | undefined {
  try {
    const v = JSON.parse(text) as { accessKeyId?: unknown; secretAccessKey?: unknown };
    return typeof v.accessKeyId === 'string' && typeof v.secretAccessKey === 'string'
      ? { accessKeyId: v.accessKeyId, secretAccessKey: v.secretAccessKey }
      : undefined;
  } catch {
    return undefined;
  }
}

/** KMS Explorer's own user that may assume this account's roles (created on first use, with its access key). */
export async function assumerCredentials(
  iam: IAMClient,
  accountId: string,
  secrets: SecretStore,
): Promise<AwsCredentialIdentity> {
  const exists = await iam.send(new GetUserCommand({ UserName: ASSUMER_USER })).then(
    () => true,
    (err: { name?: string }) => {
      if (err.name === 'NoSuchEntityException') return false;
      throw err;
    },
  );
  if (!exists) {
    await iam.send(new CreateUserCommand({ UserName: ASSUMER_USER, Path: ASSUMER_PATH })).catch((err: unknown) => {
      if ((err as { name?: string }).name !== 'EntityAlreadyExistsException') throw err;
    });
    await iam.send(
      new PutUserPolicyCommand({
        UserName: ASSUMER_USER,
        PolicyName: 'assume-account-roles',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${accountId}:role/*` }],
        }),
      }),
    );
  }
  return userAccessKey(iam, ASSUMER_USER, secrets);
}

/** Temporary credentials of the role (AssumeRole, refreshed by the SDK before they expire). */
export function roleCredentials(
  sts: { endpoint?: string; region: string },
  masterCredentials: AwsCredentialIdentity | AwsCredentialIdentityProvider,
  roleArn: string,
  sessionName = 'kms-explorer',
): AwsCredentialIdentityProvider {
  return fromTemporaryCredentials({
    params: { RoleArn: roleArn, RoleSessionName: sessionName, DurationSeconds: 3600 },
    masterCredentials,
    clientConfig: { region: sts.region, endpoint: sts.endpoint, maxAttempts: 2 },
  });
}

/**
 * Credentials to act as `ref` on the sandbox whose root credentials are `root`: a role's temporary credentials,
 * or a user's access key.
 */
export async function actAsCredentials(
  root: ClientTarget & { accountId: string },
  ref: PrincipalRef,
  secrets: SecretStore,
  sessionName?: string,
): Promise<AwsCredentialIdentityProvider> {
  const iam = iamClient(root);
  try {
    if (ref.kind === 'user') {
      const creds = await userAccessKey(iam, ref.name, secrets);
      return () => Promise.resolve(creds);
    }
    const master = await assumerCredentials(iam, root.accountId, secrets);
    return roleCredentials(root, master, principalArn(root.accountId, ref), sessionName);
  } finally {
    iam.destroy();
  }
}

export interface RoleSession {
  /** A KMS client signing with the role's temporary credentials. */
  client: KMSClient;
  /** "arn:aws:sts::…:assumed-role/NAME/SESSION". */
  sessionArn: string;
  expiration?: Date;
}

/** Assumes the role with `master` credentials (AssumeRole now, so a refusal surfaces here) and gives a KMS client as it. */
export async function assumeRoleSession(
  target: { endpoint?: string; region: string },
  master: AwsCredentialIdentity | AwsCredentialIdentityProvider,
  roleArn: string,
  sessionName: string,
): Promise<RoleSession> {
  const provider = roleCredentials(target, master, roleArn, sessionName);
  const credentials = await provider();
  const who = await callerIdentity({ ...target, credentials });
  return {
    client: new KMSClient({ ...target, credentials, maxAttempts: 2 }),
    sessionArn: who.arn,
    expiration: credentials.expiration,
  };
}
