// What the walkthrough's inputs mean: their defaults, and the checks that turn a well-shaped but
// wrong value (an alias without "alias/", a grantee that is not an IAM ARN, a statement that is not
// JSON) into a clear message before anything is sent to KMS. Shared by the page and the host.
import { LIMITS } from './catalog';
import type { ScenarioKey, StepInputs } from './messages';

export const DEFAULT_ROLE_NAME = 'KmsGettingStartedRole';

/** "alias/getting-started-20261122-074512": unique enough that "Start over" never collides with the last run. */
export function defaultAlias(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `alias/getting-started-${stamp}`;
}

/** arn:<partition>:iam::<account>:role/KmsGettingStartedRole, from the account the key lives in. */
export function defaultGrantee(key: Pick<ScenarioKey, 'partition' | 'accountId'> | undefined): string {
  return key ? `arn:${key.partition}:iam::${key.accountId}:role/${DEFAULT_ROLE_NAME}` : '';
}

/** An example statement letting the grantee describe the key; the user can edit it before it is added. */
export function defaultStatement(grantee: string): string {
  const statement = {
    Sid: 'AllowGettingStartedRoleToDescribeKey',
    Effect: 'Allow',
    Principal: { AWS: grantee || 'arn:aws:iam::111122223333:role/ExampleRole' },
    Action: 'kms:DescribeKey',
    Resource: '*',
  };
  return JSON.stringify(statement, null, 2);
}

export function defaultInputs(now: Date, key?: ScenarioKey): StepInputs {
  const grantee = defaultGrantee(key);
  return {
    createKey: { description: 'KMS Explorer getting-started key', alias: key?.aliasName ?? defaultAlias(now) },
    enableKey: {},
    encryptDecrypt: { message: 'Hello from the KMS Explorer walkthrough!' },
    grantsPolicy: { grantee, addStatement: false, statement: defaultStatement(grantee) },
    rotation: { rotationPeriodInDays: 365 },
    tagsDeletion: { tagKey: 'Project', tagValue: 'GettingStarted' },
    keyUsage: {},
  };
}

/** Splits a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>). */
export function parseKeyArn(
  arn: string,
): { partition: string; region: string; accountId: string; keyId: string } | undefined {
  const m = /^arn:(aws[a-z-]*):kms:([a-z0-9-]+):(\d{12}):key\/(.+)$/.exec(arn);
  return m ? { partition: m[1], region: m[2], accountId: m[3], keyId: m[4] } : undefined;
}

const ALIAS = /^alias\/[a-zA-Z0-9/_-]+$/;
const IAM_PRINCIPAL = /^arn:aws[a-z-]*:(iam|sts)::\d{12}:(root|(user|role|assumed-role)\/[\w+=,.@/-]+)$/;
const PROBLEM_PREFIX = /^aws:/i;

/** A problem with the step's inputs, in plain words, or undefined when they are fine. */
export function checkStepInputs<K extends keyof StepInputs>(step: K, inputs: StepInputs[K]): string | undefined {
  switch (step) {
    case 'createKey': {
      const { alias } = inputs as StepInputs['createKey'];
      if (!ALIAS.test(alias)) return 'The alias must start with "alias/" followed by letters, digits, "/", "_" or "-".';
      if (/^alias\/aws\//i.test(alias)) return 'Aliases starting with "alias/aws/" are reserved for AWS managed keys.';
      return undefined;
    }
    case 'encryptDecrypt': {
      const bytes = new TextEncoder().encode((inputs as StepInputs['encryptDecrypt']).message).length;
      if (bytes === 0) return 'Type a message to encrypt.';
      if (bytes > LIMITS.messageBytes)
        return `The message is ${bytes} bytes; Encrypt takes at most ${LIMITS.messageBytes}.`;
      return undefined;
    }
    case 'grantsPolicy': {
      const { grantee, addStatement, statement } = inputs as StepInputs['grantsPolicy'];
      // Empty: the default role in the key's account (known once step 1 has run).
      if (grantee && !IAM_PRINCIPAL.test(grantee))
        return 'The grantee must be an IAM ARN such as arn:aws:iam::111122223333:role/RoleName.';
      return addStatement ? checkStatement(statement) : undefined;
    }
    case 'tagsDeletion': {
      const { tagKey } = inputs as StepInputs['tagsDeletion'];
      if (!tagKey.trim()) return 'Enter a tag key.';
      if (PROBLEM_PREFIX.test(tagKey)) return 'Tag keys starting with "aws:" are reserved for AWS.';
      return undefined;
    }
    default:
      return undefined;
  }
}

/** The added policy statement must be one JSON object with Effect, Principal/NotPrincipal, Action and Resource. */
export function checkStatement(text: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'The statement is not valid JSON.';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return 'The statement must be one JSON object.';
  const s = parsed as Record<string, unknown>;
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny') return 'The statement needs "Effect": "Allow" or "Deny".';
  if (!('Principal' in s) && !('NotPrincipal' in s)) return 'A key policy statement needs a "Principal".';
  if (!('Action' in s) && !('NotAction' in s)) return 'The statement needs an "Action".';
  if (!('Resource' in s) && !('NotResource' in s)) return 'The statement needs a "Resource" (use "*" in a key policy).';
  if (s.Sid !== undefined && typeof s.Sid !== 'string') return 'The statement\'s "Sid" must be a string.';
  return undefined;
}
