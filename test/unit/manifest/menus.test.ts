// The manifest's commands and menus: every contributed command has its id in CommandIds (the command table's
// ids), category KMS and a localized title; AWS managed keys' nodes (key.aws.*, grant.aws, rotation.aws.*, folder.*.aws) get no changing
// action from the tree, while their key policy still opens (read-only); and each action shows on the nodes
// it belongs to. `when` clauses are evaluated for viewItem (== and =~), the only context they test here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CommandIds } from '../../../src/ui/commandIds';

const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
const nls = JSON.parse(readFileSync(new URL('../../../package.nls.json', import.meta.url), 'utf8'));
const MINE = [
  'createGrant',
  'revokeGrant',
  'retireGrant',
  'retireGrantByToken',
  'openKeyPolicy',
  'enableKeyRotation',
  'disableKeyRotation',
  'rotateKeyNow',
  'scheduleKeyDeletion',
  'cancelKeyDeletion',
  'importKeyMaterial',
  'deleteImportedKeyMaterial',
  'signSelection',
  'verifySelection',
  'generateMac',
  'verifyMac',
  'generateDataKey',
  'openSandboxTerminal',
] as const;
const READ_ONLY = new Set(['kmsExplorer.openKeyPolicy']);

/** Whether a `when` clause's viewItem tests accept `viewItem` (other context keys assumed true). */
function viewItemMatches(when: string, viewItem: string): boolean {
  return when.split('&&').every((part) => {
    const p = part.trim().replace(/^\(|\)$/g, '');
    let m = /^viewItem == (\S+)$/.exec(p);
    if (m) return viewItem === m[1];
    m = /^viewItem != (\S+)$/.exec(p);
    if (m) return viewItem !== m[1];
    m = /^viewItem =~ \/(.*)\/$/.exec(p);
    if (m) return new RegExp(m[1]).test(viewItem);
    return true;
  });
}

const itemMenus: { command: string; when: string }[] = manifest.contributes.menus['view/item/context'];
const actionsOn = (viewItem: string) =>
  itemMenus
    .filter((m) => m.command.startsWith('kmsExplorer.') && viewItemMatches(m.when, viewItem))
    .map((m) => m.command);

describe('manifest: commands and menus', () => {
  it('contributes exactly the commands of CommandIds, each with category KMS and a localized title', () => {
    const contributed: { command: string; category?: string; title: string }[] = manifest.contributes.commands;
    assert.deepEqual(contributed.map((c) => c.command).sort(), Object.values(CommandIds).sort());
    for (const entry of contributed) {
      assert.equal(entry.category, 'KMS', entry.command);
      assert.ok(nls[entry.title.replace(/%/g, '')], `${entry.command} has a title string`);
    }
  });

  it('every command is contributed with category KMS and a localized title', () => {
    for (const name of MINE) {
      const id = CommandIds[name];
      const entry = manifest.contributes.commands.find((c: { command: string }) => c.command === id);
      assert.ok(entry, id);
      assert.equal(entry.category, 'KMS');
      assert.ok(nls[entry.title.replace(/%/g, '')], `${id} has a title string`);
    }
  });

  it('AWS managed keys and their parts get no changing action from the tree; their policy opens', () => {
    const mine = new Set<string>(MINE.map((n) => CommandIds[n]));
    for (const viewItem of [
      'key.aws.enabled',
      'key.aws.pendingDeletion',
      'grant.aws',
      'rotation.aws.enabled',
      'rotation.aws.disabled',
      'folder.grants.aws',
    ]) {
      const changing = actionsOn(viewItem).filter((c) => mine.has(c) && !READ_ONLY.has(c));
      assert.deepEqual(changing, [], viewItem);
    }
    assert.ok(actionsOn('policy.aws').includes(CommandIds.openKeyPolicy));
  });

  it('offers each action on the nodes it belongs to', () => {
    assert.ok(actionsOn('folder.grants.customer').includes(CommandIds.createGrant));
    assert.ok(
      actionsOn('grant.customer').includes(CommandIds.revokeGrant) &&
        actionsOn('grant.customer').includes(CommandIds.retireGrant),
    );
    assert.ok(actionsOn('rotation.customer.disabled').includes(CommandIds.enableKeyRotation));
    assert.ok(actionsOn('rotation.customer.enabled').includes(CommandIds.disableKeyRotation));
    assert.ok(!actionsOn('rotation.customer.unsupported').includes(CommandIds.rotateKeyNow));
    assert.ok(actionsOn('key.customer.enabled').includes(CommandIds.scheduleKeyDeletion));
    assert.ok(!actionsOn('key.customer.pendingDeletion').includes(CommandIds.scheduleKeyDeletion));
    assert.ok(actionsOn('key.customer.pendingDeletion').includes(CommandIds.cancelKeyDeletion));
    assert.ok(actionsOn('key.customer.pendingImport').includes(CommandIds.importKeyMaterial));
    assert.ok(!actionsOn('key.customer.pendingImport').includes(CommandIds.deleteImportedKeyMaterial));
    for (const state of ['enabled', 'disabled']) {
      const imported = actionsOn(`key.customer.${state}.external`);
      assert.ok(
        imported.includes(CommandIds.deleteImportedKeyMaterial) && imported.includes(CommandIds.importKeyMaterial),
        state,
      );
      assert.ok(
        !actionsOn(`key.customer.${state}`).includes(CommandIds.deleteImportedKeyMaterial),
        `${state}, origin AWS_KMS`,
      );
      // An imported key keeps every action a key in its state has.
      const plain = actionsOn(`key.customer.${state}`);
      assert.deepEqual(
        plain.filter((c) => !imported.includes(c)),
        [],
        state,
      );
    }
    const title = manifest.contributes.menus['view/title'].find(
      (m: { command: string }) => m.command === CommandIds.openSandboxTerminal,
    );
    assert.equal(title.when, 'view == kmsExplorer.keys && kmsExplorer.connectionKind == sandbox');
  });

  it('the key policy schema is contributed for kms-policy documents and the scheme activates the extension', () => {
    const v = manifest.contributes.jsonValidation.find(
      (j: { url: string }) => j.url === './media/schemas/key-policy.schema.json',
    );
    assert.ok(v.fileMatch.some((f: string) => f.startsWith('kms-policy:/')));
    assert.ok(manifest.activationEvents.includes('onFileSystem:kms-policy'));
    const schema = JSON.parse(
      readFileSync(new URL('../../../media/schemas/key-policy.schema.json', import.meta.url), 'utf8'),
    );
    assert.deepEqual(schema.definitions.statement.properties.Effect.enum, ['Allow', 'Deny']);
  });
});
