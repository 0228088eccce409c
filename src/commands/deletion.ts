// Schedule Key Deletion (one typed confirmation: the key's alias or id and the waiting period of 7–30 days, under
// a prompt that says what deletion means and how the key was used: its last use, its cryptographic operations in
// the last 90 days, a recent use as a plain warning) and Cancel Key Deletion (the key comes back Disabled: the
// message says so and offers to enable it). The key's node is refreshed.
import * as vscode from 'vscode';
import { loadKms } from '../kms/load';
import { keyLabel, type CatalogKey } from '../kms/keys';
import { formatDate } from '../ui/dates';
import { enableKey } from './keys';
import { afterKeyChange, resolveKeyTarget } from '../ui/keyTarget';
import { withCancellableProgress } from '../ui/progress';
import type { Services } from '../ui/services';
import { deletionReplicaRule, primaryWithReplicas } from './multiRegion';
import { UserFacingError } from '../ui/userError';

const stateOf = (k: CatalogKey) => (k.status === 'ok' ? k.metadata.KeyState : undefined);

export async function scheduleKeyDeletion(services: Services, target?: unknown): Promise<void> {
  const t = await resolveKeyTarget(services, target, {
    id: 'scheduleDeletion.key',
    title: 'KMS: Schedule Key Deletion',
    verb: 'schedule for deletion',
    changes: true,
    accept: (k) => k.status === 'ok' && !['PendingDeletion', 'PendingReplicaDeletion'].includes(stateOf(k) ?? ''),
  });
  if (!t) return;
  const label = keyLabel(t.key);
  if (stateOf(t.key) === 'PendingDeletion')
    throw new UserFacingError(`${label} is already pending deletion.`, { level: 'warning' });
  const api = await loadKms();
  const kms = api.deletion;
  const name = t.key.aliases[0] ?? t.key.keyId;
  const aliases =
    (t.key.aliases.length > 0 ? ` Its aliases (${t.key.aliases.join(', ')}) go with it.` : '') +
    deletionReplicaRule(t.key);
  // What deletion loses: the key's last use and its last 90 days of use (CloudTrail), a recent use first.
  const usage = await withCancellableProgress(`Reading how ${label} was used…`, (signal) =>
    api.usage.usageBeforeDeletion(t.active.connection, t.key.arn, {}, signal),
  );
  const used = [usage.warning ? `⚠ ${usage.warning}` : '', ...usage.lines].filter(Boolean).join(' ');
  const typed = await services.prompter.input({
    id: 'scheduleDeletion.typed',
    title: `Schedule deletion of ${label}`,
    prompt:
      `${used} ` +
      `When the waiting period ends, KMS deletes the key and its key material for good: what was encrypted under it can never be decrypted again.${aliases} ` +
      `Until then the key is Pending deletion and you can cancel. To confirm, type ${name} and the waiting period in days (${kms.MIN_PENDING_DAYS}–${kms.MAX_PENDING_DAYS}).`,
    placeHolder: `${name} ${kms.DEFAULT_PENDING_DAYS}`,
    validateInput: (v) => {
      if (v.trim() === '') return undefined;
      const parsed = kms.parseDeletionConfirmation(v, t.key);
      if ('problem' in parsed) return parsed.problem;
      return {
        message: `Press Enter to delete ${label} in ${parsed.days} days (on ${formatDate(new Date(Date.now() + parsed.days * 86_400_000))}).`,
        severity: vscode.InputBoxValidationSeverity.Info,
      };
    },
  });
  if (typed === undefined) return;
  const parsed = kms.parseDeletionConfirmation(typed, t.key);
  if ('problem' in parsed) throw new UserFacingError(`${parsed.problem} Nothing was scheduled.`, { level: 'warning' });
  const days = parsed.days;
  const out = await withCancellableProgress(`Scheduling deletion of ${label}…`, (signal) =>
    kms.scheduleKeyDeletion(t.active.connection.client, t.key.keyId, days, signal),
  );
  await afterKeyChange(services, t);
  const when = out.deletionDate
    ? formatDate(out.deletionDate)
    : primaryWithReplicas(t.key)
      ? `${days} days after its last replica is deleted`
      : `in ${days} days`;
  services.log.info(`Scheduled deletion of key ${t.key.keyId} on ${when}.`);
  const cancel = 'Cancel Deletion';
  const chosen = await services.prompter.message(
    'warning',
    `${label} is pending deletion: KMS deletes it on ${when}. Until then you can cancel.`,
    cancel,
  );
  if (chosen === cancel) await cancelKeyDeletion(services, t.key.arn);
}

export async function cancelKeyDeletion(services: Services, target?: unknown): Promise<void> {
  const t = await resolveKeyTarget(services, target, {
    id: 'cancelDeletion.key',
    title: 'KMS: Cancel Key Deletion',
    verb: 'cancel the deletion of',
    changes: true,
    accept: (k) => stateOf(k) === 'PendingDeletion',
  });
  if (!t) return;
  const label = keyLabel(t.key);
  if (t.key.status === 'ok' && stateOf(t.key) !== 'PendingDeletion')
    throw new UserFacingError(`${label} is not pending deletion.`, { level: 'warning' });
  const kms = (await loadKms()).deletion;
  await withCancellableProgress(`Cancelling the deletion of ${label}…`, (signal) =>
    kms.cancelKeyDeletion(t.active.connection.client, t.key.keyId, signal),
  );
  await afterKeyChange(services, t);
  services.log.info(`Cancelled the deletion of key ${t.key.keyId}; it is disabled.`);
  const enable = 'Enable Key';
  const chosen = await services.prompter.message(
    'info',
    `Cancelled the deletion of ${label}. The key is Disabled now (KMS disables a key whose deletion is cancelled): enable it to use it again.`,
    enable,
  );
  if (chosen === enable) await enableKey(services, t.key.arn);
}
