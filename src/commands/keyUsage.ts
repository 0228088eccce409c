// Key Usage commands: Show Key Usage (a key node, a key id/ARN, or a picked key) opens the Key Usage view on it;
// the view's title actions filter by operation and principal, show errors only or everything, refresh; its rows
// load the next page and open an event's CloudTrail JSON.
import * as vscode from 'vscode';
import { keyLabel } from '../kms/keys';
import { distinct } from '../kms/usageFilter';
import { loadKms } from '../kms/load';
import { resolveKeyTarget } from '../ui/keyTarget';
import type { Services } from '../ui/services';
import { UserFacingError } from '../ui/userError';

export async function showKeyUsage(services: Services, target?: unknown): Promise<void> {
  const t = await resolveKeyTarget(services, target, {
    id: 'keyUsage.key',
    title: 'KMS: Show Key Usage',
    verb: 'show the usage of',
  });
  if (!t) return;
  services.keyUsage.show(t.active, { arn: t.key.arn, keyId: t.key.keyId, label: keyLabel(t.key) });
  await vscode.commands.executeCommand('kmsExplorer.keyUsage.focus');
}

function shownKey(services: Services) {
  const key = services.keyUsage.key;
  if (!key) throw new UserFacingError('Choose a key first: run Show Key Usage on a key.', { level: 'warning' });
  return key;
}

const ALL = '$(clear-all) All';

export async function filterUsageByOperation(services: Services): Promise<void> {
  shownKey(services);
  const view = services.keyUsage;
  const seen = distinct(view.events, (e) => e.operation);
  const { CRYPTOGRAPHIC_OPERATIONS } = (await loadKms()).usage;
  const operations = [...new Set([...seen, ...CRYPTOGRAPHIC_OPERATIONS])].sort((a, b) => a.localeCompare(b));
  const chosen = await services.prompter.pick(
    [
      { label: ALL, value: '' },
      ...operations.map((op) => ({
        label: op,
        description: seen.includes(op) ? `${view.events.filter((e) => e.operation === op).length} read` : undefined,
        value: op,
      })),
    ],
    { id: 'keyUsage.operation', title: 'KMS: Filter Key Usage by Operation', placeholder: 'Show only this operation' },
  );
  if (chosen === undefined) return;
  view.setFilter({ ...view.filter, operation: chosen || undefined });
}

export async function filterUsageByPrincipal(services: Services): Promise<void> {
  const key = shownKey(services);
  const view = services.keyUsage;
  const principals = distinct(view.events, (e) => e.principalArn ?? e.principal);
  const other = '\u0000other';
  let chosen = await services.prompter.pick(
    [
      { label: ALL, value: '' },
      ...principals.map((p) => ({ label: p, value: p })),
      { label: '$(edit) Another principal…', value: other },
    ],
    {
      id: 'keyUsage.principal',
      title: 'KMS: Filter Key Usage by Principal',
      placeholder: `Show only the calls of this principal to ${key.label}`,
    },
  );
  if (chosen === other) {
    chosen = await services.prompter.input({
      id: 'keyUsage.principalName',
      title: 'KMS: Filter Key Usage by Principal',
      prompt: 'The principal: its user name as CloudTrail gives it, or its ARN',
      placeHolder: 'arn:aws:iam::111122223333:role/app',
      validateInput: (v) => (v.trim() ? undefined : 'Type a user name or an ARN.'),
    });
  }
  if (chosen === undefined) return;
  view.setFilter({ ...view.filter, principal: chosen.trim() || undefined });
}

export function showUsageErrorsOnly(services: Services): void {
  services.keyUsage.setFilter({ ...services.keyUsage.filter, errorsOnly: true });
}

export function showUsageAllOutcomes(services: Services): void {
  services.keyUsage.setFilter({ ...services.keyUsage.filter, errorsOnly: false });
}

export function clearUsageFilters(services: Services): void {
  services.keyUsage.setFilter({});
}

export function refreshKeyUsage(services: Services): void {
  services.keyUsage.reload();
}

export async function loadMoreKeyUsage(services: Services): Promise<void> {
  await services.keyUsage.loadMore();
}

export async function openUsageEvent(services: Services, eventId?: unknown): Promise<void> {
  if (typeof eventId !== 'string') throw new UserFacingError('Open an event from the Key Usage view.');
  await services.keyUsage.openEvent(eventId);
}
