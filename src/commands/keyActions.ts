// Key commands: Disable (confirmed), Edit Description, Copy Key ID / ARN, Download Public
// Key (PEM through a save dialog) and Show Key Details (a read-only JSON document).
import * as vscode from 'vscode';
import { loadKms } from '../kms/load';
import { hasPublicKey, keyLabel, type CatalogKey } from '../kms/keys';
import { withCancellableProgress } from '../ui/progress';
import { showKeyDetailsDocument } from './keyDetailsDocument';
import { afterKeyChange, resolveKeyTarget } from '../ui/keyTarget';
import type { Services } from '../ui/services';
import { UserFacingError } from '../ui/userError';

const isOk = (k: CatalogKey): k is Extract<CatalogKey, { status: 'ok' }> => k.status === 'ok';

export async function disableKey(services: Services, target?: unknown): Promise<void> {
  const t = await resolveKeyTarget(services, target, {
    id: 'disableKey.key',
    title: 'KMS: Disable Key',
    verb: 'disable',
    changes: true,
    accept: (k) => isOk(k) && k.metadata.KeyState === 'Enabled',
  });
  if (!t) return;
  const label = keyLabel(t.key);
  const confirmed = await services.prompter.confirm(`Disable ${label}?`, {
    id: 'disableKey.confirm',
    detail:
      'While it is disabled, every encrypt, decrypt, sign or other cryptographic request with this key fails, so applications using it stop working. Nothing is deleted: you can enable it again at any time.',
    confirmLabel: 'Disable key',
  });
  if (!confirmed) return;
  const kms = (await loadKms()).keyOperations;
  await withCancellableProgress(`Disabling ${label}…`, (signal) =>
    kms.disableKey(t.active.connection.client, t.key.keyId, signal),
  );
  await afterKeyChange(services, t);
  services.log.info(`Disabled key ${t.key.keyId}.`);
  void services.prompter.message(
    'info',
    `Disabled ${label}. Cryptographic operations with it now fail until you enable it.`,
  );
}

export async function editKeyDescription(services: Services, target?: unknown): Promise<void> {
  const t = await resolveKeyTarget(services, target, {
    id: 'editDescription.key',
    title: 'KMS: Edit Key Description',
    verb: 'edit',
    changes: true,
    accept: isOk,
  });
  if (!t) return;
  const { descriptionProblem } = (await loadKms()).createKey;
  const current = isOk(t.key) ? (t.key.metadata.Description ?? '') : '';
  const description = await services.prompter.input({
    id: 'editDescription.text',
    title: `Description of ${keyLabel(t.key)}`,
    prompt: 'What the key is for (at most 8192 characters; may be empty).',
    value: current,
    validateInput: descriptionProblem,
  });
  if (description === undefined || description === current) return;
  const problem = descriptionProblem(description);
  if (problem) throw new UserFacingError(problem, { level: 'warning' });
  const kms = (await loadKms()).keyOperations;
  await withCancellableProgress(`Updating the description of ${keyLabel(t.key)}…`, (signal) =>
    kms.updateKeyDescription(t.active.connection.client, t.key.keyId, description, signal),
  );
  await afterKeyChange(services, t);
  services.log.info(`Updated the description of key ${t.key.keyId}.`);
}

export async function copyKeyId(services: Services, target?: unknown): Promise<void> {
  await copyKeyValue(services, target, 'id');
}

export async function copyKeyArn(services: Services, target?: unknown): Promise<void> {
  await copyKeyValue(services, target, 'ARN');
}

async function copyKeyValue(services: Services, target: unknown, what: 'id' | 'ARN'): Promise<void> {
  const t = await resolveKeyTarget(services, target, {
    id: `copyKey${what}.key`,
    title: `KMS: Copy Key ${what}`,
    verb: 'copy',
  });
  if (!t) return;
  const value = what === 'id' ? t.key.keyId : t.key.arn;
  await vscode.env.clipboard.writeText(value);
  vscode.window.setStatusBarMessage(`Copied the key ${what} of ${keyLabel(t.key)}.`, 3000);
}

export async function downloadPublicKey(services: Services, target?: unknown): Promise<void> {
  const { getPublicKeyPem } = (await loadKms()).publicKey;
  const t = await resolveKeyTarget(services, target, {
    id: 'publicKey.key',
    title: 'KMS: Download Public Key',
    verb: 'download a public key of (only asymmetric keys have one)',
    accept: (k) => isOk(k) && hasPublicKey(k.metadata.KeySpec),
  });
  if (!t) return;
  const label = keyLabel(t.key);
  if (isOk(t.key) && !hasPublicKey(t.key.metadata.KeySpec)) {
    throw new UserFacingError(`${label} is a ${t.key.metadata.KeySpec} key: only asymmetric keys have a public key.`, {
      level: 'warning',
    });
  }
  const fileName = `${label.replace(/^alias\//, '').replace(/[^\w.-]+/g, '-')}.pem`;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const save = services.prompter.saveLocation?.bind(services.prompter);
  if (!save) throw new Error('This prompter cannot ask where to save a file.');
  const uri = await save({
    id: 'publicKey.save',
    title: `Save the public key of ${label}`,
    defaultUri: folder ? vscode.Uri.joinPath(folder, fileName) : undefined,
    filters: { 'PEM public key': ['pem'], 'All files': ['*'] },
  });
  if (!uri) return;
  const { pem } = await withCancellableProgress(`Downloading the public key of ${label}…`, (signal) =>
    getPublicKeyPem(t.active.connection.client, t.key.keyId, signal),
  );
  await vscode.workspace.fs.writeFile(uri, Buffer.from(pem, 'utf8'));
  services.log.info(`Saved the public key of ${t.key.keyId} to ${uri.toString(true)}.`);
  const open = await services.prompter.message(
    'info',
    `Saved the public key of ${label} to ${vscode.workspace.asRelativePath(uri)}.`,
    'Open',
  );
  if (open === 'Open') await vscode.window.showTextDocument(uri);
}

export async function showKeyDetails(services: Services, target?: unknown): Promise<void> {
  const t = await resolveKeyTarget(services, target, {
    id: 'keyDetails.key',
    title: 'KMS: Show Key Details',
    verb: 'show',
  });
  if (!t) return;
  const { keyDetailsJson, readKeyDetails } = (await loadKms()).keyDetails;
  const details = await withCancellableProgress(`Reading ${keyLabel(t.key)}…`, (signal) =>
    readKeyDetails(t.active.connection.client, t.key.arn, signal),
  );
  await showKeyDetailsDocument(services, t.key, keyDetailsJson(details));
}
