// Schedule Key Deletion (a waiting period of 7–30 days, typing the key's alias or id, then a modal
// warning that says what deletion means) and Cancel Key Deletion (the key comes back Disabled: the
// message says so and offers to enable it). The key's node is refreshed.
import { keyLabel, type CatalogKey } from '../kms/keys';
import { formatDate } from '../ui/dates';
import { enableKey } from './keys';
import { afterKeyChange, resolveKeyTarget } from '../ui/keyTarget';
import { withCancellableProgress } from '../ui/progress';
import type { Services } from '../ui/services';
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
  if (stateOf(t.key) === 'PendingDeletion') throw new UserFacingError(`${label} is already pending deletion.`, { level: 'warning' });
  const kms = await import('../kms/deletion');
  const daysText = await services.prompter.input({
    id: 'scheduleDeletion.days',
    title: `Schedule deletion of ${label}`,
    prompt: `Waiting period in days (${kms.MIN_PENDING_DAYS}–${kms.MAX_PENDING_DAYS}): until it ends you can cancel the deletion.`,
    value: String(kms.DEFAULT_PENDING_DAYS),
    validateInput: kms.pendingWindowProblem,
  });
  if (daysText === undefined) return;
  const problem = kms.pendingWindowProblem(daysText);
  if (problem) throw new UserFacingError(problem, { level: 'warning' });
  const days = Number(daysText.trim());
  const name = t.key.aliases[0] ?? t.key.keyId;
  const typed = await services.prompter.input({
    id: 'scheduleDeletion.confirmName',
    title: `Schedule deletion of ${label}`,
    prompt: `To confirm, type ${name}${t.key.aliases.length > 0 ? ` (or the key id ${t.key.keyId})` : ''}`,
    placeHolder: name,
    validateInput: (v) => (v === '' || kms.confirmsKey(v, t.key) ? undefined : `That is not ${name}.`),
  });
  if (typed === undefined) return;
  if (!kms.confirmsKey(typed, t.key)) throw new UserFacingError(`You typed something other than ${name}: nothing was scheduled.`, { level: 'warning' });
  const aliases = t.key.aliases.length > 0 ? ` Its aliases (${t.key.aliases.join(', ')}) are deleted with it.` : '';
  const confirmed = await services.prompter.confirm(`Delete ${label} in ${days} days?`, {
    id: 'scheduleDeletion.confirm',
    detail:
      `When the waiting period ends, KMS deletes the key and its key material for good. Everything encrypted under it can never be decrypted again, and data keys it protects are lost too.${aliases} ` +
      'Until then the key is Pending deletion and cannot be used; you can cancel the deletion. If you are not sure nothing needs it, disable the key instead.',
    confirmLabel: 'Schedule deletion',
  });
  if (!confirmed) return;
  const out = await withCancellableProgress(`Scheduling deletion of ${label}…`, (signal) => kms.scheduleKeyDeletion(t.active.connection.client, t.key.keyId, days, signal));
  await afterKeyChange(services, t);
  const when = out.deletionDate ? formatDate(out.deletionDate) : `in ${days} days`;
  services.log.info(`Scheduled deletion of key ${t.key.keyId} on ${when}.`);
  const cancel = 'Cancel Deletion';
  const chosen = await services.prompter.message('warning', `${label} is pending deletion: KMS deletes it on ${when}. Until then you can cancel.`, cancel);
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
  if (t.key.status === 'ok' && stateOf(t.key) !== 'PendingDeletion') throw new UserFacingError(`${label} is not pending deletion.`, { level: 'warning' });
  const kms = await import('../kms/deletion');
  await withCancellableProgress(`Cancelling the deletion of ${label}…`, (signal) => kms.cancelKeyDeletion(t.active.connection.client, t.key.keyId, signal));
  await afterKeyChange(services, t);
  services.log.info(`Cancelled the deletion of key ${t.key.keyId}; it is disabled.`);
  const enable = 'Enable Key';
  const chosen = await services.prompter.message('info', `Cancelled the deletion of ${label}. The key is Disabled now (KMS disables a key whose deletion is cancelled): enable it to use it again.`, enable);
  if (chosen === enable) await enableKey(services, t.key.arn);
}
