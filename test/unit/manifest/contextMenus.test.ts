// The manifest's menus in VS Code's own places (the Explorer's and the editor's context menus): there a
// title shows without its category, so KMS Explorer's commands sit in a "KMS" submenu — "KMS ▸ Encrypt
// File…", as the palette says "KMS: Encrypt File…".
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
const menus: Record<string, { command?: string; submenu?: string; when?: string }[]> = manifest.contributes.menus;
const submenus: { id: string; label: string }[] = manifest.contributes.submenus ?? [];

describe('manifest: context menus outside KMS Explorer views', () => {
  for (const place of ['explorer/context', 'editor/context']) {
    it(`${place}: one "KMS" submenu holds every KMS Explorer command`, () => {
      const entries = menus[place];
      assert.deepEqual(
        entries.filter((e) => e.command?.startsWith('kmsExplorer.')),
        [],
        'no bare command (its category would not show)',
      );
      const mine = entries.filter((e) => e.submenu?.startsWith('kmsExplorer.'));
      assert.equal(mine.length, 1);
      assert.equal(submenus.find((s) => s.id === mine[0].submenu)?.label, 'KMS');
      assert.ok(menus[mine[0].submenu!].length > 0, 'the submenu has items');
    });
  }

  it('Encrypt File… and Decrypt File… are in the Explorer submenu', () => {
    const commands = menus['kmsExplorer.explorerContext'].map((e) => e.command);
    assert.deepEqual(commands, ['kmsExplorer.encryptFile', 'kmsExplorer.decryptFile']);
  });
});
