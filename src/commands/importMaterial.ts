// Imported key material for keys with Origin EXTERNAL: Import Key Material (a wizard with Back: where the
// material comes from — generated here, generated with a copy saved to a file, or read from a file —,
// the wrapping algorithm and wrapping key size, and the expiration model), then GetParametersForImport,
// wrapping with node:crypto and ImportKeyMaterial under one cancellable progress; Delete Imported Key
// Material (confirmed). Key material is zeroed after use and never logged.
import type { AlgorithmSpec, WrappingKeySpec } from '@aws-sdk/client-kms';
import { loadKms } from '../kms/load';
import * as vscode from 'vscode';
import { keyLabel, type CatalogKey } from '../kms/keys';
import { formatDate } from '../ui/dates';
import { afterKeyChange, resolveKeyTarget } from '../ui/keyTarget';
import { withCancellableProgress } from '../ui/progress';
import type { Services } from '../ui/services';
import { UserFacingError } from '../ui/userError';
import { runWizard, type WizardStep } from '../ui/wizard';

type Source = 'generate' | 'generateAndSave' | 'file';

interface ImportState {
  source?: Source;
  algorithm?: AlgorithmSpec;
  spec?: WrappingKeySpec;
  expires?: boolean;
  days: string;
}

const isExternal = (k: CatalogKey) => k.status === 'ok' && k.metadata.Origin === 'EXTERNAL';
const stateOf = (k: CatalogKey) => (k.status === 'ok' ? k.metadata.KeyState : undefined);

export async function importKeyMaterial(services: Services, target?: unknown): Promise<void> {
  const t = await resolveKeyTarget(services, target, {
    id: 'importMaterial.key',
    title: 'KMS: Import Key Material',
    verb: 'import key material into (only keys created with Origin EXTERNAL take it)',
    changes: true,
    accept: (k) => isExternal(k) && ['PendingImport', 'Enabled', 'Disabled'].includes(stateOf(k) ?? ''),
  });
  if (!t) return;
  const label = keyLabel(t.key);
  if (!isExternal(t.key))
    throw new UserFacingError(`${label} was not created for imported key material (its origin is not EXTERNAL).`, {
      level: 'warning',
    });
  const kms = (await loadKms()).importMaterial;
  const p = services.prompter;
  const title = `Import key material into ${label}`;
  const steps: WizardStep<ImportState>[] = [
    {
      async run(s, at) {
        const items: { label: string; detail: string; value: Source }[] = [
          {
            label: 'Generate new key material here',
            detail:
              'Random 256-bit material from this machine. No copy is kept: you cannot re-import it after it expires or is deleted.',
            value: 'generate',
          },
          {
            label: 'Generate and save a copy to a file…',
            detail: 'Keep the file safe (it is the key): re-importing the same material needs it.',
            value: 'generateAndSave',
          },
          {
            label: 'Read key material from a file…',
            detail: '32 bytes of raw material, or those bytes as base64 or hex text.',
            value: 'file',
          },
        ];
        s.source = await p.pick(items, {
          id: 'importMaterial.source',
          title,
          placeholder: 'Where does the key material come from?',
          ...at,
        });
        return !!s.source;
      },
    },
    {
      async run(s, at) {
        const items = kms.WRAPPING_ALGORITHMS.map((a) => ({
          label: a.algorithm,
          description: a.description,
          value: a.algorithm,
        }));
        s.algorithm = await p.pick(items, {
          id: 'importMaterial.algorithm',
          title,
          placeholder: 'Wrapping algorithm',
          ...at,
        });
        return !!s.algorithm;
      },
    },
    {
      async run(s, at) {
        const items = kms.WRAPPING_KEY_SPECS.map((spec) => ({ label: spec, value: spec }));
        s.spec = await p.pick(items, {
          id: 'importMaterial.wrappingKeySpec',
          title,
          placeholder: 'Wrapping key (RSA public key KMS gives for this import)',
          ...at,
        });
        return !!s.spec;
      },
    },
    {
      async run(s, at) {
        const items = [
          { label: 'Does not expire', description: 'KEY_MATERIAL_DOES_NOT_EXPIRE', value: false },
          { label: 'Expires…', description: 'KEY_MATERIAL_EXPIRES: KMS deletes the material at the date', value: true },
        ];
        s.expires = await p.pick(items, {
          id: 'importMaterial.expiration',
          title,
          placeholder: 'Expiration model',
          ...at,
        });
        return s.expires !== undefined;
      },
    },
    {
      skip: (s) => !s.expires,
      async run(s, at) {
        const v = await p.input({
          id: 'importMaterial.days',
          title,
          prompt: `Days until the material expires (1–${kms.MAX_VALID_DAYS})`,
          value: s.days,
          validateInput: kms.validDaysProblem,
          ...at,
        });
        if (v === undefined) return false;
        s.days = v;
        return true;
      },
    },
  ];
  const s = await runWizard<ImportState>({ days: '365' }, steps);
  if (!s?.source || !s.algorithm || !s.spec) return;
  const problem = s.expires ? kms.validDaysProblem(s.days) : undefined;
  if (problem) throw new UserFacingError(problem, { level: 'warning' });
  const validTo = s.expires ? new Date(Date.now() + Number(s.days.trim()) * 86_400_000) : undefined;

  const material = await materialFrom(services, s.source, label);
  if (!material) return;
  try {
    await withCancellableProgress(`Importing key material into ${label}…`, async (signal, progress) => {
      progress.report({ message: 'downloading the wrapping key and import token' });
      const params = await kms.getParametersForImport(
        t.active.connection.client,
        t.key.keyId,
        s.algorithm!,
        s.spec!,
        signal,
      );
      progress.report({ message: 'wrapping the key material' });
      const wrapped = kms.wrapKeyMaterial(material, params.publicKey, params.algorithm);
      progress.report({ message: 'importing' });
      await kms.importKeyMaterial(
        t.active.connection.client,
        { keyId: t.key.keyId, importToken: params.importToken, wrappedMaterial: wrapped, validTo },
        signal,
      );
    });
  } finally {
    material.fill(0);
  }
  await afterKeyChange(services, t);
  services.log.info(
    `Imported key material into key ${t.key.keyId} (${s.algorithm}, ${validTo ? `expires ${validTo.toISOString()}` : 'does not expire'}).`,
  );
  void p.message(
    'info',
    `Imported key material into ${label}; ${validTo ? `it expires on ${formatDate(validTo)}` : 'it does not expire'}.`,
  );
}

/** The material for the chosen source; undefined when the user dismissed a dialog. */
async function materialFrom(services: Services, source: Source, label: string): Promise<Uint8Array | undefined> {
  const kms = (await loadKms()).importMaterial;
  if (source === 'file') {
    const open = services.prompter.openLocation?.bind(services.prompter);
    if (!open) throw new Error('This prompter cannot ask for a file.');
    const uri = await open({ id: 'importMaterial.file', title: `Key material for ${label}` });
    if (!uri) return undefined;
    const bytes = await vscode.workspace.fs.readFile(uri);
    const read = kms.materialFromFile(bytes);
    bytes.fill(0);
    if ('problem' in read) throw new UserFacingError(`${read.problem} Nothing was imported.`, { level: 'warning' });
    return read.material;
  }
  const material = kms.generateSymmetricMaterial();
  if (source === 'generateAndSave') {
    const save = services.prompter.saveLocation?.bind(services.prompter);
    if (!save) throw new Error('This prompter cannot ask where to save a file.');
    const uri = await save({
      id: 'importMaterial.saveCopy',
      title: `Save a copy of the key material for ${label}`,
      filters: { 'Key material': ['bin'] },
    });
    if (!uri) {
      material.fill(0);
      return undefined;
    }
    await vscode.workspace.fs.writeFile(uri, material);
    services.log.info(`Saved a copy of new key material to ${uri.toString(true)}.`);
  }
  return material;
}

export async function deleteImportedKeyMaterial(services: Services, target?: unknown): Promise<void> {
  const t = await resolveKeyTarget(services, target, {
    id: 'deleteMaterial.key',
    title: 'KMS: Delete Imported Key Material',
    verb: 'delete imported key material of',
    changes: true,
    accept: (k) => isExternal(k) && ['Enabled', 'Disabled'].includes(stateOf(k) ?? ''),
  });
  if (!t) return;
  const label = keyLabel(t.key);
  if (!isExternal(t.key))
    throw new UserFacingError(`${label} has no imported key material (its origin is not EXTERNAL).`, {
      level: 'warning',
    });
  const confirmed = await services.prompter.confirm(`Delete the imported key material of ${label}?`, {
    id: 'deleteMaterial.confirm',
    detail:
      'The key becomes Pending import and cannot encrypt or decrypt until you import the same key material again. Without a copy of that material, everything encrypted under the key is lost.',
    confirmLabel: 'Delete key material',
  });
  if (!confirmed) return;
  const kms = (await loadKms()).importMaterial;
  await withCancellableProgress(`Deleting the key material of ${label}…`, (signal) =>
    kms.deleteImportedKeyMaterial(t.active.connection.client, t.key.keyId, signal),
  );
  await afterKeyChange(services, t);
  services.log.info(`Deleted the imported key material of key ${t.key.keyId}.`);
  void services.prompter.message(
    'info',
    `Deleted the key material of ${label}; it is Pending import until you import the same material again.`,
  );
}
