// Shared test helpers for IAM, STS and CloudTrail: clients for a test sandbox, trust and identity policies, users with keys.
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { STSClient } from '@aws-sdk/client-sts';
import type { TestSandbox } from './sandbox';

export type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

export function iamClient(t: TestSandbox, credentials?: Creds): IAMClient {
  const s = t.sandbox;
  return new IAMClient({
    endpoint: s.endpoint,
    region: s.region,
    credentials: credentials ?? { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey },
    maxAttempts: 1,
  });
}

export function stsClient(t: TestSandbox, credentials?: Creds): STSClient {
  const s = t.sandbox;
  return new STSClient({
    endpoint: s.endpoint,
    region: s.region,
    credentials: credentials ?? { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey },
    maxAttempts: 1,
  });
}

export const trustAccount = (account: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' }],
  });
export const allow = (action: string | string[], resource = '*') =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: resource }] });

/** A user with an access key and the given inline policy; returns its credentials. */
export async function userWithKey(iam: IAMClient, name: string, policy?: string): Promise<Creds> {
  await iam.send(new CreateUserCommand({ UserName: name }));
  if (policy) await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: policy }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}

/** A CloudTrail client for a test sandbox (LookupEvents on the sandbox's port). */
export function cloudTrailClient(t: TestSandbox, credentials?: Creds, region?: string): CloudTrailClient {
  const s = t.sandbox;
  return new CloudTrailClient({
    endpoint: s.endpoint,
    region: region ?? s.region,
    credentials: credentials ?? { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey },
    maxAttempts: 1,
  });
}

/** The extension's connection settings for a test sandbox (its endpoint and root credentials). */
export function sandboxSettings(t: TestSandbox) {
  const s = t.sandbox;
  return {
    kind: 'sandbox' as const,
    endpoint: s.endpoint,
    region: s.region,
    accessKeyId: s.accessKeyId,
    secretAccessKey: s.secretAccessKey,
    accountId: s.accountId,
  };
}
