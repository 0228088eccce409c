// Rotation commands: Enable Key Rotation (with a period of 90–2560 days, prefilled with the current
// one), Disable Key Rotation, Rotate Key Now (RotateKeyOnDemand, confirmed: AWS allows 25 per key).
// The key's node is refreshed so its Rotation node shows the new status and past rotations.
import { keyLabel, type CatalogKey } from '../kms/keys';
import { loadKms } from '../kms/load';
import { afterKeyChange, resolveKeyTarget, type KeyTarget } from '../ui/keyTarget';
import { withCancellableProgress } from '../ui/progress';
import type { Services } from '../ui/services';
import { UserFacingError } from '../ui/userError';

async function rotatableTarget(
  services: Services,
  target: unknown,
  id: string,
  title: string,
  verb: string,
): Promise<KeyTarget | undefined> {
  const { rotationUnsupportedReason } = (await loadKms()).rotationInfo;
  const canRotate = (k: CatalogKey) => k.status === 'ok' && !rotationUnsupportedReason(k.metadata);
  const t = await resolveKeyTarget(services, target, {
    id,
    title,
    verb,
    changes: true,
    accept: (k) => canRotate(k) && k.status === 'ok' && k.metadata.KeyState === 'Enabled',
  });
  if (t && t.key.status === 'ok') {
    const reason = rotationUnsupportedReason(t.key.metadata);
    if (reason) throw new UserFacingError(`${keyLabel(t.key)} cannot rotate: ${reason}.`, { level: 'warning' });
  }
  return t;
}

export async function enableKeyRotation(services: Services, target?: unknown): Promise<void> {
  const t = await rotatableTarget(
    services,
    target,
    'enableRotation.key',
    'KMS: Enable Key Rotation',
    'enable rotation of',
  );
  if (!t) return;
  const kms = (await loadKms()).rotation;
  const { getRotationStatus } = (await loadKms()).rotationInfo;
  const current = await getRotationStatus(t.active.connection.client, t.key.keyId).catch(() => undefined);
  const text = await services.prompter.input({
    id: 'enableRotation.period',
    title: `Automatic rotation of ${keyLabel(t.key)}`,
    prompt: `Rotate every how many days? (${kms.MIN_ROTATION_DAYS}–${kms.MAX_ROTATION_DAYS}; AWS's default is ${kms.DEFAULT_ROTATION_DAYS})`,
    value: String(current?.periodInDays ?? kms.DEFAULT_ROTATION_DAYS),
    validateInput: kms.rotationPeriodProblem,
  });
  if (text === undefined) return;
  const problem = kms.rotationPeriodProblem(text);
  if (problem) throw new UserFacingError(problem, { level: 'warning' });
  const days = Number(text.trim());
  await withCancellableProgress(`Enabling rotation of ${keyLabel(t.key)}…`, (signal) =>
    kms.enableKeyRotation(t.active.connection.client, t.key.keyId, days, signal),
  );
  await afterKeyChange(services, t);
  services.log.info(`Enabled rotation of key ${t.key.keyId} every ${days} days.`);
  void services.prompter.message(
    'info',
    `${keyLabel(t.key)} now rotates every ${days} days. Old key material is kept, so existing ciphertexts still decrypt.`,
  );
}

export async function disableKeyRotation(services: Services, target?: unknown): Promise<void> {
  const t = await rotatableTarget(
    services,
    target,
    'disableRotation.key',
    'KMS: Disable Key Rotation',
    'disable rotation of',
  );
  if (!t) return;
  const kms = (await loadKms()).rotation;
  await withCancellableProgress(`Disabling rotation of ${keyLabel(t.key)}…`, (signal) =>
    kms.disableKeyRotation(t.active.connection.client, t.key.keyId, signal),
  );
  await afterKeyChange(services, t);
  services.log.info(`Disabled rotation of key ${t.key.keyId}.`);
}

export async function rotateKeyNow(services: Services, target?: unknown): Promise<void> {
  const t = await rotatableTarget(services, target, 'rotateNow.key', 'KMS: Rotate Key Now', 'rotate');
  if (!t) return;
  const confirmed = await services.prompter.confirm(`Rotate ${keyLabel(t.key)} now?`, {
    id: 'rotateNow.confirm',
    detail:
      'KMS creates new key material for new encryptions and keeps the old material, so existing ciphertexts still decrypt. AWS allows at most 25 on-demand rotations per key; automatic rotation is not affected.',
    confirmLabel: 'Rotate now',
  });
  if (!confirmed) return;
  const kms = (await loadKms()).rotation;
  await withCancellableProgress(`Rotating ${keyLabel(t.key)}…`, (signal) =>
    kms.rotateKeyOnDemand(t.active.connection.client, t.key.keyId, signal),
  );
  await afterKeyChange(services, t);
  services.log.info(`Started an on-demand rotation of key ${t.key.keyId}.`);
  void services.prompter.message(
    'info',
    `Started rotating ${keyLabel(t.key)}. The rotation shows under its Rotation node when KMS completes it.`,
  );
}
