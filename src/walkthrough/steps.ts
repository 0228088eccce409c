// The getting-started scenario's steps over a KMSClient (no vscode): each takes its validated
// inputs and the scenario's key, makes its KMS calls through a Recorder, and returns what the page
// shows: the calls (request/response JSON with plaintext and secrets masked), a summary, the error
// explained in plain words, and the key as it now is. A step never throws.
import type { KMSClient, KMSClientResolvedConfig, ServiceInputTypes, ServiceOutputTypes } from '@aws-sdk/client-kms';
import type { Command } from '@smithy/types';
import { randomUUID } from 'node:crypto';
import { formatDate } from '../ui/dates';
import { explainKmsError } from '../kms/errors';
import { loadKms, type KmsApi } from '../kms/load';
import { GRANT_OPERATIONS, type StepId } from './catalog';
import { checkStepInputs, defaultGrantee, parseKeyArn } from './inputs';
import { maskValue, type Secret, toBase64 } from './masking';
import type { ApiCallRecord, ScenarioKey, StepErrorView, StepInputs, SummaryItem } from './messages';
import { addStatement, countStatements, ownerStatement } from './policy';
import { shortPrincipal } from '../kms/principalRef';

export interface StepOutcome {
  ok: boolean;
  calls: ApiCallRecord[];
  /** The masked values, by id, for Reveal; keep them in memory only. */
  secrets: Secret[];
  summary: SummaryItem[];
  error?: StepErrorView;
  /** The scenario's key after the step (step 1 creates it). */
  key?: ScenarioKey;
  /** Set by the deletion actions: the date the key will be deleted, or null once cancelled. */
  deletionDate?: string | null;
}

export interface StepEnv {
  client: KMSClient;
  key?: ScenarioKey;
  newId?: () => string;
  /** Acting as step 4's grantee role; without it step 4 says why it cannot. */
  grantee?: GranteeAccess;
}

/** What the host lets step 4 do to act as the grantee role (the sandbox: create it; any connection: assume it). */
export interface GranteeAccess {
  kind: 'sandbox' | 'aws';
  /** The sandbox: creates the role (trusted by this account) unless it exists; true when it was created. */
  ensureRole?(roleName: string): Promise<boolean>;
  /** AssumeRole: a KMS client with the role's temporary credentials (destroy it after) and the session's ARN. */
  assume(roleArn: string): Promise<{ client: KMSClient; sessionArn: string; expiration?: Date }>;
}

/** Sends commands and records each call (masked) in the order made. */
export class Recorder {
  constructor(
    /** The SDK's KMS commands (from the lazily loaded kms layer). */
    readonly sdk: KmsApi['sdk'],
    private readonly client: KMSClient,
    private readonly newId: () => string,
    readonly calls: ApiCallRecord[] = [],
    readonly secrets: Secret[] = [],
    /** Who sends, when not the connection ("role/App"): calls read "Encrypt (as role/App)". */
    private readonly who?: string,
  ) {}

  /** The same record, sending with another principal's client. */
  as(client: KMSClient, who: string): Recorder {
    return new Recorder(this.sdk, client, this.newId, this.calls, this.secrets, who);
  }

  send<I extends ServiceInputTypes, O extends ServiceOutputTypes>(
    operation: string,
    command: Command<ServiceInputTypes, I, ServiceOutputTypes, O, KMSClientResolvedConfig>,
  ): Promise<O> {
    return this.call(operation, command.input, () => this.client.send(command));
  }

  /** Records any call (IAM and STS too): the request, then the response `shown` makes of the result (masked both). */
  async call<T>(operation: string, input: unknown, run: () => Promise<T>, shown: (out: T) => unknown = (o) => o) {
    const request = maskValue(input, this.newId, ['request']);
    const name = this.who ? `${operation} (as ${this.who})` : operation;
    const record: ApiCallRecord = { operation: name, request: request.json, masked: request.masked };
    this.calls.push(record);
    this.secrets.push(...request.secrets);
    try {
      const output = await run();
      const response = maskValue(shown(output), this.newId, ['response']);
      record.response = response.json;
      record.masked.push(...response.masked);
      this.secrets.push(...response.secrets);
      return output;
    } catch (err) {
      const explained = explainKmsError(err);
      record.error = { code: explained.code, message: explained.detail ?? explained.summary };
      throw err;
    }
  }
}

/** Raised by a step for a problem it found itself (not a KMS exception). */
class StepProblem extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Body = (
  rec: Recorder,
  summary: SummaryItem[],
  env: StepEnv,
) => Promise<Partial<Pick<StepOutcome, 'key' | 'deletionDate'>> | void>;

/** What a KMS exception means in a particular step, said in its terms (by exception name). */
type Hints = Partial<Record<string, string>>;

async function perform(env: StepEnv, needsKey: boolean, body: Body, hints: Hints = {}): Promise<StepOutcome> {
  const rec = new Recorder((await loadKms()).sdk, env.client, env.newId ?? randomUUID);
  const summary: SummaryItem[] = [];
  const base = () => ({ calls: rec.calls, secrets: rec.secrets, summary });
  if (needsKey && !env.key) {
    return {
      ok: false,
      ...base(),
      key: env.key,
      error: { code: 'NoKey', summary: 'Run step 1 first: this step works on the key it creates.' },
    };
  }
  try {
    const changes = (await body(rec, summary, env)) ?? {};
    return { ok: true, ...base(), key: env.key, ...changes };
  } catch (err) {
    if (err instanceof StepProblem)
      return { ok: false, ...base(), key: env.key, error: { code: err.code, summary: err.message } };
    const e = explainKmsError(err);
    if (e.code === 'UnknownOperationException') {
      const op = rec.calls[rec.calls.length - 1]?.operation ?? 'this operation';
      return {
        ok: false,
        ...base(),
        key: env.key,
        error: { code: e.code, summary: `This KMS endpoint does not support ${op}.` },
      };
    }
    const hint = hints[e.code];
    return {
      ok: false,
      ...base(),
      key: env.key,
      error: { code: e.code, summary: hint ? `${e.summary} ${hint}` : e.summary, detail: e.detail },
    };
  }
}

function invalidInput(problem: string): StepOutcome {
  return { ok: false, calls: [], secrets: [], summary: [], error: { code: 'InvalidInput', summary: problem } };
}

// ---- the six steps -----------------------------------------------------------------------------

async function createKey(inputs: StepInputs['createKey'], env: StepEnv): Promise<StepOutcome> {
  if (env.key?.aliasName) {
    return invalidInput(
      `Step 1 is done: the scenario uses ${env.key.aliasName}. Choose "Start over" to create another key.`,
    );
  }
  return perform(env, false, async (rec, summary) => {
    let key = env.key;
    if (!key) {
      const created = await rec.send(
        'CreateKey',
        new rec.sdk.CreateKeyCommand({
          Description: inputs.description,
          KeySpec: 'SYMMETRIC_DEFAULT',
          KeyUsage: 'ENCRYPT_DECRYPT',
        }),
      );
      const meta = created.KeyMetadata;
      const arn = meta?.Arn ? parseKeyArn(meta.Arn) : undefined;
      if (!meta?.KeyId || !meta.Arn || !arn)
        throw new StepProblem('UnexpectedResponse', 'CreateKey did not return a key id and key ARN.');
      key = {
        keyId: meta.KeyId,
        keyArn: meta.Arn,
        accountId: arn.accountId,
        partition: arn.partition,
        region: arn.region,
      };
      // The key exists from here on, even if the alias fails: later steps and a retry use it.
      env.key = key;
      summary.push({ label: 'Key ID', value: key.keyId }, { label: 'Key ARN', value: key.keyArn });
      summary.push(
        { label: 'Key spec', value: meta.KeySpec ?? 'SYMMETRIC_DEFAULT' },
        { label: 'State', value: meta.KeyState ?? '' },
      );
    } else {
      summary.push(
        { label: 'Key ID', value: key.keyId },
        { label: 'Note', value: 'The key already exists; only the alias is created.' },
      );
    }
    await rec.send('CreateAlias', new rec.sdk.CreateAliasCommand({ AliasName: inputs.alias, TargetKeyId: key.keyId }));
    key = { ...key, aliasName: inputs.alias };
    summary.push({ label: 'Alias', value: inputs.alias });
    return { key };
  });
}

async function enableKey(env: StepEnv): Promise<StepOutcome> {
  return perform(env, true, async (rec, summary, { key }) => {
    const before = await rec.send('DescribeKey', new rec.sdk.DescribeKeyCommand({ KeyId: key!.keyId }));
    const stateBefore = before.KeyMetadata?.KeyState ?? 'unknown';
    summary.push({ label: 'State before', value: stateBefore });
    if (stateBefore === 'Enabled') {
      summary.push({
        label: 'Action',
        value:
          'No EnableKey call: DescribeKey shows the key Enabled, as CreateKey leaves a new key. To see EnableKey at work, disable the key (Disable Key in the Keys view) and run this step again.',
      });
      summary.push({ label: 'State after', value: stateBefore });
      return;
    }
    await rec.send('EnableKey', new rec.sdk.EnableKeyCommand({ KeyId: key!.keyId }));
    const after = await rec.send('DescribeKey', new rec.sdk.DescribeKeyCommand({ KeyId: key!.keyId }));
    summary.push(
      { label: 'Action', value: 'EnableKey' },
      { label: 'State after', value: after.KeyMetadata?.KeyState ?? 'unknown' },
    );
  });
}

async function encryptDecrypt(inputs: StepInputs['encryptDecrypt'], env: StepEnv): Promise<StepOutcome> {
  return perform(env, true, async (rec, summary, { key }) => {
    const plaintext = new TextEncoder().encode(inputs.message);
    const encrypted = await rec.send(
      'Encrypt',
      new rec.sdk.EncryptCommand({ KeyId: key!.keyId, Plaintext: plaintext }),
    );
    if (!encrypted.CiphertextBlob) throw new StepProblem('UnexpectedResponse', 'Encrypt returned no ciphertext.');
    summary.push({ label: 'Ciphertext (base64)', value: toBase64(encrypted.CiphertextBlob) });
    summary.push({
      label: 'Sizes',
      value: `${plaintext.length} bytes of plaintext → ${encrypted.CiphertextBlob.length} bytes of ciphertext`,
    });
    // The blob alone: it names the key that made it (the response's KeyId says which).
    const decrypted = await rec.send(
      'Decrypt',
      new rec.sdk.DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }),
    );
    const same = decrypted.Plaintext !== undefined && Buffer.from(decrypted.Plaintext).equals(Buffer.from(plaintext));
    if (!same) throw new StepProblem('RoundTripMismatch', 'Decrypt did not return the original message.');
    summary.push({ label: 'Round trip', value: 'Decrypt returned exactly the original message.' });
    summary.push({
      label: 'Decrypted with',
      value: `${decrypted.KeyId ?? 'the key the blob names'} (read from the blob: the request passed no KeyId)`,
    });
  });
}

/** Step 7: the key's last use (GetKeyLastUsage) and the scenario's own calls from CloudTrail (LookupEvents by key ARN). */
async function keyUsage(env: StepEnv): Promise<StepOutcome> {
  return perform(env, true, async (rec, summary, { key, client }) => {
    const last = await rec.send('GetKeyLastUsage', new rec.sdk.GetKeyLastUsageCommand({ KeyId: key!.keyId }));
    const used = last.KeyLastUsage;
    summary.push({
      label: 'Last used',
      value:
        used?.Operation && used.Timestamp
          ? `${used.Operation} on ${formatDate(used.Timestamp)}`
          : 'Not used since tracking began',
    });
    const { usage } = await loadKms();
    const record: ApiCallRecord = {
      operation: 'LookupEvents',
      request: { LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: key!.keyArn }], MaxResults: 50 },
      masked: [],
    };
    rec.calls.push(record);
    let page: Awaited<ReturnType<typeof usage.lookupKeyEvents>>;
    try {
      page = await usage.lookupKeyEvents(await usage.trailForClient(client), key!.keyArn, { maxResults: 50 });
    } catch (err) {
      const e = explainKmsError(err);
      record.error = { code: e.code, message: e.detail ?? e.summary };
      const denied = usage.lookupDeniedReason(err);
      if (denied) throw new StepProblem(e.code, denied);
      throw err;
    }
    record.response = {
      Events: page.events.map((e) => ({
        EventId: e.eventId,
        EventName: e.operation,
        EventTime: e.time.toISOString(),
        Username: e.principal,
      })),
      ...(page.nextToken ? { NextToken: '…' } : {}),
    };
    summary.push({
      label: 'CloudTrail events',
      value: `${page.events.length}${page.nextToken ? ' (the newest; more in the Key Usage view)' : ''}, newest first`,
    });
    for (const e of page.events) {
      const context = e.encryptionContext ? `context ${JSON.stringify(e.encryptionContext)}` : '';
      summary.push({
        label: `${formatDate(e.time)} · ${e.operation}`,
        value: [e.principal, e.errorCode ?? 'succeeded', context].filter(Boolean).join(' · '),
      });
    }
  });
}

async function grantsPolicy(inputs: StepInputs['grantsPolicy'], env: StepEnv): Promise<StepOutcome> {
  return perform(
    env,
    true,
    async (rec, summary, { key, grantee: access }) => {
      const KeyId = key!.keyId;
      const grantee = inputs.grantee || defaultGrantee(key);
      const roleName = roleInAccount(grantee, key!.accountId);
      if (roleName && access?.ensureRole) {
        const created = await rec.call(
          'CreateRole',
          { RoleName: roleName, AssumeRolePolicyDocument: `trust: this account (arn:aws:iam::${key!.accountId}:root)` },
          () => access.ensureRole!(roleName),
          (made) => ({ Role: { Arn: grantee }, Note: made ? 'created' : 'the role already existed: reused' }),
        );
        summary.push({ label: 'Grantee role', value: `${grantee} (${created ? 'created' : 'reused'}); no IAM policy` });
      }
      const grant = await rec.send(
        'CreateGrant',
        new rec.sdk.CreateGrantCommand({
          KeyId,
          GranteePrincipal: grantee,
          Operations: [...GRANT_OPERATIONS],
          Name: 'kms-explorer-getting-started',
        }),
      );
      if (!grant.GrantId) throw new StepProblem('UnexpectedResponse', 'CreateGrant returned no grant id.');
      summary.push({ label: 'Grant', value: `${grant.GrantId} lets ${grantee} call ${GRANT_OPERATIONS.join(', ')}` });
      const listed = await rec.send('ListGrants', new rec.sdk.ListGrantsCommand({ KeyId, Limit: 100 }));
      const found = (listed.Grants ?? []).some((g) => g.GrantId === grant.GrantId);
      if (!found && !listed.Truncated)
        throw new StepProblem('GrantNotListed', 'ListGrants did not list the new grant.');
      summary.push({
        label: 'Grants on the key',
        value: `${listed.Grants?.length ?? 0}${listed.Truncated ? '+' : ''}, including the new one`,
      });

      const session = await assumeGrantee(rec, summary, access, grantee, roleName);
      const message = new TextEncoder().encode('Encrypted by the grantee');
      const encryptAsGrantee = () =>
        session!.rec.send('Encrypt', new rec.sdk.EncryptCommand({ KeyId: key!.keyArn, Plaintext: message }));
      try {
        if (session) {
          const allowed = await encryptAsGrantee();
          summary.push({
            label: 'Encrypt as the grantee, grant in place',
            value: `Allowed: ${allowed.CiphertextBlob?.length ?? 0} bytes of ciphertext. The grant allows it: the role has no IAM policy of its own.`,
          });
        }
        await rec.send('RevokeGrant', new rec.sdk.RevokeGrantCommand({ KeyId, GrantId: grant.GrantId }));
        summary.push({ label: 'Revoked', value: grant.GrantId });
        if (session) {
          const refused = await encryptAsGrantee().then(
            () => undefined,
            (err: unknown) => explainKmsError(err),
          );
          if (!refused && access?.kind === 'sandbox')
            throw new StepProblem('StillAllowed', 'Encrypt as the grantee still worked after RevokeGrant.');
          if (refused && refused.code !== 'AccessDeniedException') throw new StepProblem(refused.code, refused.summary);
          summary.push({
            label: 'Encrypt as the grantee, grant revoked',
            value: refused
              ? `Refused: AccessDeniedException. ${refused.detail ?? refused.summary}`
              : 'Still allowed: on AWS a revoked grant can take a few seconds to stop working everywhere (eventual consistency). Run the step again to see the refusal.',
          });
        }
      } finally {
        session?.client.destroy();
      }

      const current = await rec.send('GetKeyPolicy', new rec.sdk.GetKeyPolicyCommand({ KeyId, PolicyName: 'default' }));
      if (current.Policy === undefined) throw new StepProblem('UnexpectedResponse', 'GetKeyPolicy returned no policy.');
      let policy = current.Policy;
      let note = `${countStatements(policy)} statement(s), put back unchanged`;
      if (inputs.addStatement) {
        const merged = addStatement(policy, inputs.statement);
        policy = merged.policy;
        note = `${merged.before} statement(s) before, ${merged.after} after adding yours`;
      }
      await rec.send('PutKeyPolicy', new rec.sdk.PutKeyPolicyCommand({ KeyId, PolicyName: 'default', Policy: policy }));
      summary.push(
        { label: 'Key policy', value: note },
        { label: 'Policy document', value: pretty(policy), code: true },
      );
      const owner = ownerStatement(policy, key!.accountId);
      summary.push({
        label: 'Who manages the key',
        value:
          owner ??
          'No statement allows the account itself kms:*: only the principals the key policy names can manage this key.',
      });
    },
    GRANT_HINTS,
  );
}

/** The role's name when `arn` is a role (without a path) of the key's account. */
function roleInAccount(arn: string, accountId: string): string | undefined {
  const m = /^arn:aws[a-z-]*:iam::(\d{12}):role\/([\w+=,.@-]+)$/.exec(arn);
  return m && m[1] === accountId ? m[2] : undefined;
}

/** AssumeRole as the grantee (recorded without its credentials), or why the step cannot act as it. */
async function assumeGrantee(
  rec: Recorder,
  summary: SummaryItem[],
  access: GranteeAccess | undefined,
  grantee: string,
  roleName: string | undefined,
): Promise<{ client: KMSClient; rec: Recorder } | undefined> {
  const why =
    "To encrypt as the grantee, KMS Explorer assumes the grantee role with your credentials (STS AssumeRole). AWS allows that only when the role's trust policy lets you assume it and your IAM policies allow sts:AssumeRole on it.";
  if (!roleName || !access) {
    summary.push({
      label: 'Acting as the grantee',
      value: `Skipped: the grantee is not a role of this account. ${why} Enter such a role as the grantee to see the grant at work.`,
    });
    return undefined;
  }
  try {
    const session = await rec.call(
      'AssumeRole',
      { RoleArn: grantee, RoleSessionName: 'kms-explorer-walkthrough' },
      () => access.assume(grantee),
      (s) => ({
        AssumedRoleUser: { Arn: s.sessionArn },
        Expiration: s.expiration,
        Credentials: 'temporary, not shown',
      }),
    );
    summary.push({ label: 'Acting as', value: session.sessionArn });
    return { client: session.client, rec: rec.as(session.client, shortPrincipal(session.sessionArn)) };
  } catch (err) {
    if (access.kind === 'sandbox') throw err;
    const e = explainKmsError(err);
    summary.push({
      label: 'Acting as the grantee',
      value: `Not possible: ${e.detail ?? e.summary} ${why} Enter a role you can assume as the grantee and run the step again.`,
    });
    return undefined;
  }
}

const GRANT_HINTS: Hints = {
  InvalidArnException:
    'On AWS the grantee must be an existing IAM role or user: enter the ARN of one that exists and run the step again.',
  MalformedPolicyDocumentException:
    'Check the added statement: on AWS its principal must exist. Untick "Add this statement" to put the policy back unchanged.',
};

async function rotation(inputs: StepInputs['rotation'], env: StepEnv): Promise<StepOutcome> {
  return perform(env, true, async (rec, summary, { key }) => {
    const KeyId = key!.keyId;
    await rec.send(
      'EnableKeyRotation',
      new rec.sdk.EnableKeyRotationCommand({ KeyId, RotationPeriodInDays: inputs.rotationPeriodInDays }),
    );
    const status = await rec.send('GetKeyRotationStatus', new rec.sdk.GetKeyRotationStatusCommand({ KeyId }));
    if (!status.KeyRotationEnabled)
      throw new StepProblem('RotationNotEnabled', 'GetKeyRotationStatus reports that rotation is still disabled.');
    summary.push({ label: 'Rotation', value: 'Enabled' });
    summary.push({
      label: 'Rotation period',
      value: `${status.RotationPeriodInDays ?? inputs.rotationPeriodInDays} days`,
    });
    summary.push({
      label: 'Next rotation',
      value: status.NextRotationDate ? formatDate(status.NextRotationDate) : 'not reported',
    });
  });
}

async function tags(inputs: StepInputs['tagsDeletion'], env: StepEnv): Promise<StepOutcome> {
  return perform(env, true, async (rec, summary, { key }) => {
    const KeyId = key!.keyId;
    await rec.send(
      'TagResource',
      new rec.sdk.TagResourceCommand({ KeyId, Tags: [{ TagKey: inputs.tagKey, TagValue: inputs.tagValue }] }),
    );
    const listed = await rec.send('ListResourceTags', new rec.sdk.ListResourceTagsCommand({ KeyId, Limit: 50 }));
    const all = listed.Tags ?? [];
    if (!all.some((t) => t.TagKey === inputs.tagKey && t.TagValue === inputs.tagValue)) {
      throw new StepProblem('TagNotListed', 'ListResourceTags did not list the new tag.');
    }
    summary.push({ label: 'Tags', value: all.map((t) => `${t.TagKey}=${t.TagValue ?? ''}`).join(', ') });
  });
}

/** Step 6's destructive half: only after the user confirmed. */
export async function scheduleDeletion(pendingWindowInDays: number, env: StepEnv): Promise<StepOutcome> {
  return perform(env, true, async (rec, summary, { key }) => {
    const out = await rec.send(
      'ScheduleKeyDeletion',
      new rec.sdk.ScheduleKeyDeletionCommand({ KeyId: key!.keyId, PendingWindowInDays: pendingWindowInDays }),
    );
    const date = out.DeletionDate ? formatDate(out.DeletionDate) : undefined;
    summary.push({ label: 'Key state', value: out.KeyState ?? 'PendingDeletion' });
    summary.push({ label: 'Deletion date', value: date ?? `in ${pendingWindowInDays} days` });
    return { deletionDate: date ?? `in ${pendingWindowInDays} days` };
  });
}

/** Cancels the deletion; KMS leaves the key Disabled, so it is enabled again to be usable. */
export async function cancelDeletion(env: StepEnv): Promise<StepOutcome> {
  return perform(env, true, async (rec, summary, { key }) => {
    const KeyId = key!.keyId;
    await rec.send('CancelKeyDeletion', new rec.sdk.CancelKeyDeletionCommand({ KeyId }));
    const cancelled = await rec.send('DescribeKey', new rec.sdk.DescribeKeyCommand({ KeyId }));
    summary.push({ label: 'State after cancelling', value: cancelled.KeyMetadata?.KeyState ?? 'unknown' });
    if (cancelled.KeyMetadata?.KeyState !== 'Enabled') {
      await rec.send('EnableKey', new rec.sdk.EnableKeyCommand({ KeyId }));
      const enabled = await rec.send('DescribeKey', new rec.sdk.DescribeKeyCommand({ KeyId }));
      summary.push({ label: 'State after EnableKey', value: enabled.KeyMetadata?.KeyState ?? 'unknown' });
    }
    return { deletionDate: null };
  });
}

/** Runs one step after checking what its inputs mean; the shape was checked by validateFromWebview. */
export async function runStep<K extends StepId>(step: K, inputs: StepInputs[K], env: StepEnv): Promise<StepOutcome> {
  const problem = checkStepInputs(step, inputs);
  if (problem) return invalidInput(problem);
  switch (step) {
    case 'createKey':
      return createKey(inputs as StepInputs['createKey'], env);
    case 'enableKey':
      return enableKey(env);
    case 'encryptDecrypt':
      return encryptDecrypt(inputs as StepInputs['encryptDecrypt'], env);
    case 'grantsPolicy':
      return grantsPolicy(inputs as StepInputs['grantsPolicy'], env);
    case 'rotation':
      return rotation(inputs as StepInputs['rotation'], env);
    case 'tagsDeletion':
      return tags(inputs as StepInputs['tagsDeletion'], env);
    case 'keyUsage':
      return keyUsage(env);
    default:
      return invalidInput('Unknown step.');
  }
}

function pretty(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}
