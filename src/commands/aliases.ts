// Alias commands: Add Alias (to a key; the name validated as you type by AWS's rules and against the
// aliases already in use), Retarget Alias (UpdateAlias to another key of the same type and usage),
// Delete Alias (confirmed). AWS managed aliases and keys offer none of these.
import type { AliasListEntry } from '@aws-sdk/client-kms';
import { loadKms } from '../kms/load';
import type { ActiveConnection } from '../connection/manager';
import { keyLabel, keyManagerKind, type CatalogKey } from '../kms/keys';
import type { TreeNode } from '../ui/treeNodes';
import { withCancellableProgress } from '../ui/progress';
import { afterKeyChange, resolveKeyTarget } from '../ui/keyTarget';
import { activeFor } from '../ui/regionTarget';
import type { Services } from '../ui/services';
import { UserFacingError } from '../ui/userError';

export async function addAlias(services: Services, target?: unknown): Promise<void> {
  const t = await resolveKeyTarget(services, target, {
    id: 'addAlias.key',
    title: 'KMS: Add Alias',
    verb: 'add an alias to',
    changes: true,
  });
  if (!t) return;
  const { aliasNameProblem, createAlias } = (await loadKms()).aliases;
  const taken = (await t.active.catalog.aliases()).map((a) => a.AliasName ?? '');
  const name = await services.prompter.input({
    id: 'addAlias.name',
    title: `Add an alias to ${keyLabel(t.key)}`,
    prompt: 'alias/ then letters, digits and / _ - (e.g. alias/my-app-key); unique in this account and region.',
    value: 'alias/',
    valueSelection: [6, 6],
    validateInput: (v) => aliasNameProblem(v.trim(), taken),
  });
  if (name === undefined) return;
  const alias = name.trim();
  const problem = aliasNameProblem(alias, taken);
  if (problem) throw new UserFacingError(problem, { level: 'warning' });
  await withCancellableProgress(`Creating ${alias}…`, (signal) =>
    createAlias(t.active.connection.client, alias, t.key.keyId, signal),
  );
  await afterAliasChange(services, t.active, [t.key]);
  services.log.info(`Created alias ${alias} for key ${t.key.keyId}.`);
  void services.prompter.message('info', `${alias} now refers to ${t.key.keyId}.`);
}

export async function retargetAlias(services: Services, target?: unknown): Promise<void> {
  const active = await activeFor(services, target);
  const alias = await resolveAlias(services, active, target, 'retargetAlias.alias', 'KMS: Retarget Alias');
  if (!alias) return;
  const name = alias.AliasName ?? '';
  const { keyFamily, updateAlias } = (await loadKms()).aliases;
  const keys = await active.catalog.keys();
  const current = keys.find((k) => k.keyId === alias.TargetKeyId);
  const family = current?.status === 'ok' ? keyFamily(current.metadata) : undefined;
  const candidates = keys.filter(
    (k) =>
      k.status === 'ok' &&
      keyManagerKind(k) === 'customer' &&
      k.keyId !== alias.TargetKeyId &&
      (!family || keyFamily(k.metadata) === family),
  );
  if (candidates.length === 0) {
    throw new UserFacingError(
      `No other customer managed key of the same type and key usage${family ? ` (${family})` : ''} to point ${name} at.`,
      { level: 'warning' },
    );
  }
  const next = await services.prompter.pick(
    candidates.map((k) => ({
      label: keyLabel(k),
      description: k.keyId,
      detail: k.status === 'ok' ? [k.metadata.KeyState, k.metadata.Description].filter(Boolean).join(' · ') : undefined,
      value: k,
    })),
    {
      id: 'retargetAlias.key',
      title: `Point ${name} at another key`,
      placeholder: 'KMS allows only a key of the same type and key usage',
      matchOnDescription: true,
      matchOnDetail: true,
    },
  );
  if (!next) return;
  await withCancellableProgress(`Pointing ${name} at ${keyLabel(next)}…`, (signal) =>
    updateAlias(active.connection.client, name, next.keyId, signal),
  );
  await afterAliasChange(services, active, [current, next]);
  services.log.info(`Alias ${name} now refers to ${next.keyId} (was ${alias.TargetKeyId ?? 'none'}).`);
  void services.prompter.message('info', `${name} now refers to ${next.keyId}.`);
}

export async function deleteAlias(services: Services, target?: unknown): Promise<void> {
  const active = await activeFor(services, target);
  const alias = await resolveAlias(services, active, target, 'deleteAlias.alias', 'KMS: Delete Alias');
  if (!alias) return;
  const name = alias.AliasName ?? '';
  const confirmed = await services.prompter.confirm(`Delete ${name}?`, {
    id: 'deleteAlias.confirm',
    detail: `The key ${alias.TargetKeyId ?? ''} is not affected, but applications and policies that refer to the key by "${name}" stop finding it.`,
    confirmLabel: 'Delete alias',
  });
  if (!confirmed) return;
  const { deleteAlias: remove } = (await loadKms()).aliases;
  await withCancellableProgress(`Deleting ${name}…`, (signal) => remove(active.connection.client, name, signal));
  const key = (await active.catalog.keys()).find((k) => k.keyId === alias.TargetKeyId);
  await afterAliasChange(services, active, [key]);
  services.log.info(`Deleted alias ${name}.`);
  void services.prompter.message('info', `Deleted ${name}.`);
}

/** The alias of a tree node (Keys or Aliases view), or one the user picks among customer aliases. */
async function resolveAlias(
  services: Services,
  active: ActiveConnection,
  target: unknown,
  id: string,
  title: string,
): Promise<AliasListEntry | undefined> {
  const node = target as TreeNode | undefined;
  let alias = node && typeof node === 'object' && node.kind === 'alias' ? node.alias : undefined;
  if (!alias && typeof target === 'string')
    alias = (await active.catalog.aliases()).find((a) => a.AliasName === target);
  if (!alias) {
    const items = active.catalog.aliases().then((all) => {
      const own = all.filter((a) => a.AliasName && !a.AliasName.startsWith('alias/aws/') && a.TargetKeyId);
      if (own.length === 0)
        throw new UserFacingError('There is no customer managed alias in this account and region.', {
          level: 'warning',
        });
      return own.map((a) => ({ label: a.AliasName ?? '', description: `→ ${a.TargetKeyId}`, value: a }));
    });
    alias = await services.prompter.pick(items, {
      id,
      title,
      placeholder: 'Choose an alias',
      matchOnDescription: true,
    });
    if (!alias) return undefined;
  }
  if (alias.AliasName?.startsWith('alias/aws/')) {
    throw new UserFacingError(
      `${alias.AliasName} belongs to an AWS managed key: AWS manages it, so you cannot change it.`,
      { level: 'warning' },
    );
  }
  return alias;
}

/** Aliases changed: the keys they touch (label, Aliases folder) and the Aliases view. */
async function afterAliasChange(
  services: Services,
  active: ActiveConnection,
  keys: (CatalogKey | undefined)[],
): Promise<void> {
  for (const key of keys) if (key) await afterKeyChange(services, { active, key });
  services.aliasesTree.refresh();
}
