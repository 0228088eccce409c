// Grant commands: Create Grant (a wizard with Back: grantee principal, operations (multi-select),
// retiring principal, name, encryption-context constraint; the new grant's token shown once with a
// copy button, never logged), Revoke Grant and Retire Grant (both confirmed modally), and Retire Grant
// by Token (as a grantee or retiring principal does). Only the key's Grants folder is refreshed.
import type { GrantListEntry, GrantOperation } from '@aws-sdk/client-kms';
import { loadKms } from '../kms/load';
import * as vscode from 'vscode';
import type { EncryptionContext } from '../kms/crypto';
import { keyLabel, type CatalogKey } from '../kms/keys';
import type { TreeNode } from '../ui/treeNodes';
import { afterKeyChange, resolveKeyTarget, type KeyTarget } from '../ui/keyTarget';
import { withCancellableProgress } from '../ui/progress';
import type { Services } from '../ui/services';
import { UserFacingError } from '../ui/userError';
import { runWizard, type WizardStep } from '../ui/wizard';

interface GrantState {
  grantee: string;
  operations?: GrantOperation[];
  retiring: string;
  name: string;
  constraint?: 'none' | 'subset' | 'equals';
  context: EncryptionContext;
  contextText: string;
}

const TITLE = 'KMS: Create Grant';
const usable = (k: CatalogKey) =>
  k.status === 'ok' && k.metadata.KeyState !== 'PendingDeletion' && k.metadata.KeyState !== 'PendingReplicaDeletion';

export async function createGrant(services: Services, target?: unknown): Promise<void> {
  const t = await resolveKeyTarget(services, target, {
    id: 'createGrant.key',
    title: TITLE,
    verb: 'create a grant on',
    changes: true,
    accept: usable,
  });
  if (!t) return;
  const kms = (await loadKms()).grants;
  const metadata = t.key.status === 'ok' ? t.key.metadata : undefined;
  const p = services.prompter;
  const title = `${TITLE} on ${keyLabel(t.key)}`;
  const steps: WizardStep<GrantState>[] = [
    {
      async run(s, at) {
        const v = await p.input({
          id: 'createGrant.grantee',
          title,
          prompt: 'Grantee principal: who may use the key (an IAM role/user/account ARN or an AWS service principal)',
          placeHolder: 'arn:aws:iam::111122223333:role/MyRole',
          value: s.grantee,
          validateInput: (x) => kms.principalProblem(x),
          ...at,
        });
        if (v === undefined) return false;
        s.grantee = v.trim();
        return true;
      },
    },
    {
      async run(s, at) {
        const items = kms
          .grantOperationsFor(metadata)
          .map((op) => ({ label: op, value: op, picked: s.operations?.includes(op) }));
        const ops = await p.pickMany(items, {
          id: 'createGrant.operations',
          title,
          placeholder: 'Operations the grantee may perform (choose one or more)',
          ...at,
        });
        if (ops === undefined) return false;
        if (ops.length === 0)
          throw new UserFacingError('Choose at least one operation for the grant. No grant was created.', {
            level: 'warning',
          });
        s.operations = ops;
        return true;
      },
    },
    {
      async run(s, at) {
        const v = await p.input({
          id: 'createGrant.retiring',
          title,
          prompt: 'Optional retiring principal: who may retire the grant (leave empty for none)',
          value: s.retiring,
          validateInput: (x) => (x.trim() ? kms.principalProblem(x, 'The retiring principal') : undefined),
          ...at,
        });
        if (v === undefined) return false;
        s.retiring = v.trim();
        return true;
      },
    },
    {
      async run(s, at) {
        const v = await p.input({
          id: 'createGrant.name',
          title,
          prompt: 'Optional grant name (letters, digits and : / _ -); a name makes retries idempotent',
          value: s.name,
          validateInput: kms.grantNameProblem,
          ...at,
        });
        if (v === undefined) return false;
        s.name = v;
        return true;
      },
    },
    {
      skip: () => !kms.supportsConstraints(metadata),
      async run(s, at) {
        const items = [
          {
            label: 'No constraint',
            description: 'The grant applies to any encryption context',
            value: 'none' as const,
          },
          {
            label: 'Encryption context subset',
            description: 'Requests must include these pairs (they may have more)',
            value: 'subset' as const,
          },
          {
            label: 'Encryption context equals',
            description: 'Requests must have exactly these pairs',
            value: 'equals' as const,
          },
        ];
        s.constraint = await p.pick(items, {
          id: 'createGrant.constraint',
          title,
          placeholder: 'Encryption context constraint',
          ...at,
        });
        return !!s.constraint;
      },
    },
    {
      skip: (s) => !s.constraint || s.constraint === 'none',
      async run(s, at) {
        const problem = (x: string) => {
          const parsed = kms.parseConstraintContext(x);
          if ('problem' in parsed) return parsed.problem;
          return Object.keys(parsed.context).length === 0 ? 'Give at least one key=value pair.' : undefined;
        };
        const v = await p.input({
          id: 'createGrant.context',
          title,
          prompt: 'Encryption context pairs: key=value, key2=value2 (or a JSON object)',
          value: s.contextText,
          validateInput: problem,
          ...at,
        });
        if (v === undefined) return false;
        const parsed = kms.parseConstraintContext(v);
        if ('problem' in parsed)
          throw new UserFacingError(`${parsed.problem} No grant was created.`, { level: 'warning' });
        s.contextText = v;
        s.context = parsed.context;
        return true;
      },
    },
  ];
  const s = await runWizard<GrantState>({ grantee: '', retiring: '', name: '', context: {}, contextText: '' }, steps);
  if (!s?.operations) return;
  // The typed values were checked as typed; check again (a scripted or pasted answer skips validateInput).
  const problem =
    kms.principalProblem(s.grantee) ??
    (s.retiring ? kms.principalProblem(s.retiring, 'The retiring principal') : undefined) ??
    kms.grantNameProblem(s.name);
  if (problem) throw new UserFacingError(`${problem} No grant was created.`, { level: 'warning' });
  const created = await withCancellableProgress(`Creating a grant on ${keyLabel(t.key)}…`, (signal) =>
    kms.createGrant(
      t.active.connection.client,
      {
        keyId: t.key.keyId,
        granteePrincipal: s.grantee,
        operations: s.operations!,
        retiringPrincipal: s.retiring || undefined,
        name: s.name || undefined,
        contextSubset: s.constraint === 'subset' ? s.context : undefined,
        contextEquals: s.constraint === 'equals' ? s.context : undefined,
      },
      signal,
    ),
  );
  await afterKeyChange(services, t, 'grants');
  services.log.info(
    `Created grant ${created.grantId} on key ${t.key.keyId} for ${s.grantee} (${s.operations.join(', ')}).`,
  );
  const copy = 'Copy Grant Token';
  const chosen = await p.message(
    'info',
    `Created grant ${created.grantId.slice(0, 12)}… for ${s.grantee}. Its grant token is shown only now: copy it to use the grant before it is everywhere in KMS (it is not kept).`,
    copy,
  );
  if (chosen === copy) {
    await vscode.env.clipboard.writeText(created.grantToken);
    vscode.window.setStatusBarMessage('Copied the grant token.', 3000);
  }
}

export async function revokeGrant(services: Services, target?: unknown): Promise<void> {
  await removeGrant(services, target, 'revoke');
}

export async function retireGrant(services: Services, target?: unknown): Promise<void> {
  await removeGrant(services, target, 'retire');
}

async function removeGrant(services: Services, target: unknown, how: 'revoke' | 'retire'): Promise<void> {
  const Verb = how === 'revoke' ? 'Revoke' : 'Retire';
  const t = await resolveKeyTarget(services, target, {
    id: `${how}Grant.key`,
    title: `KMS: ${Verb} Grant`,
    verb: `${how} grants of`,
    changes: true,
  });
  const grant = t && (grantOfNode(target) ?? (await pickGrant(services, t, `${how}Grant.grant`)));
  if (!t || !grant?.GrantId) return;
  const grantId = grant.GrantId;
  const who = grant.GranteePrincipal ?? 'the grantee';
  const confirmed = await services.prompter.confirm(
    `${Verb} the grant ${grant.Name || grantId.slice(0, 12) + '…'} on ${keyLabel(t.key)}?`,
    {
      id: `${how}Grant.confirm`,
      detail: `${who} loses the permissions it gives (${(grant.Operations ?? []).join(', ')}) at once, and applications using its grant token fail. This cannot be undone: a new grant would have a new id and token.`,
      confirmLabel: `${Verb} grant`,
    },
  );
  if (!confirmed) return;
  const kms = (await loadKms()).grants;
  await withCancellableProgress(`${how === 'revoke' ? 'Revoking' : 'Retiring'} the grant…`, (signal) =>
    how === 'revoke'
      ? kms.revokeGrant(t.active.connection.client, t.key.keyId, grantId, signal)
      : kms.retireGrant(t.active.connection.client, { keyId: t.key.keyId, grantId }, signal),
  );
  await afterKeyChange(services, t, 'grants');
  services.log.info(`${how === 'revoke' ? 'Revoked' : 'Retired'} grant ${grantId} on key ${t.key.keyId}.`);
}

/** Retire a grant given its token (pasted; never logged): what a retiring principal or grantee does. */
export async function retireGrantByToken(services: Services): Promise<void> {
  const active = await services.connections.get();
  const token = await services.prompter.input({
    id: 'retireGrantByToken.token',
    title: 'KMS: Retire Grant by Token',
    prompt: 'Paste the grant token',
    password: true,
    validateInput: (v) => (v.trim() ? undefined : 'Paste a grant token.'),
  });
  if (!token?.trim()) return;
  const confirmed = await services.prompter.confirm('Retire the grant this token belongs to?', {
    id: 'retireGrantByToken.confirm',
    detail: 'Its grantee loses the permissions it gives at once. This cannot be undone.',
    confirmLabel: 'Retire grant',
  });
  if (!confirmed) return;
  const kms = (await loadKms()).grants;
  await withCancellableProgress('Retiring the grant…', (signal) =>
    kms.retireGrant(active.connection.client, { grantToken: token }, signal),
  );
  active.catalog.invalidate();
  services.keysTree.refresh();
  services.log.info('Retired a grant by its token.');
  void services.prompter.message('info', 'Retired the grant.');
}

async function pickGrant(services: Services, t: KeyTarget, id: string): Promise<GrantListEntry | undefined> {
  const grants = await t.active.catalog.grants(t.key.keyId);
  if (grants.length === 0) throw new UserFacingError(`${keyLabel(t.key)} has no grants.`, { level: 'warning' });
  return services.prompter.pick(
    grants.map((g) => ({
      label: g.GranteePrincipal ?? g.GrantId ?? '',
      description: (g.Operations ?? []).join(', '),
      detail: g.Name || g.GrantId,
      value: g,
    })),
    {
      id,
      title: `Grants of ${keyLabel(t.key)}`,
      placeholder: 'Choose a grant',
      matchOnDescription: true,
      matchOnDetail: true,
    },
  );
}

function grantOfNode(target: unknown): GrantListEntry | undefined {
  const node = target as TreeNode | undefined;
  return node && typeof node === 'object' && node.kind === 'grant' ? node.grant : undefined;
}
