// Editors for integration tests: open a document as the active editor, set selections until the workbench echoes them back, close all.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from '../../support/wait';

export async function openDocument(content: string | vscode.Uri): Promise<vscode.TextEditor> {
  const doc =
    typeof content === 'string'
      ? await vscode.workspace.openTextDocument({ content, language: 'plaintext' })
      : await vscode.workspace.openTextDocument(content);
  // Not a preview, and earlier editors stay open: closing them can briefly re-activate an older one.
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  // The commands act on the active editor: wait until the workbench reports this one.
  await waitFor(
    'the document to become the active editor',
    () => vscode.window.activeTextEditor?.document === doc,
    5000,
  );
  assert.equal(vscode.window.activeTextEditor?.document, doc, 'the document is the active editor');
  return editor;
}

export async function select(editor: vscode.TextEditor, selections: vscode.Selection[]): Promise<void> {
  const same = () => {
    const now = vscode.window.activeTextEditor?.selections ?? [];
    return now.length === selections.length && now.every((s, i) => s.isEqual(selections[i]));
  };
  for (let i = 0; i < 20; i++) {
    editor.selections = selections;
    await new Promise((r) => setTimeout(r, 50));
    if (same() && vscode.window.activeTextEditor?.document === editor.document) return;
  }
  assert.fail('the selections did not stick');
}

/** Selects whole lines (one selection each). */
export function selectLines(editor: vscode.TextEditor, lines: number[]): Promise<void> {
  return select(
    editor,
    lines.map((l) => new vscode.Selection(l, 0, l, editor.document.lineAt(l).text.length)),
  );
}

/** A fresh untitled editor with `text`, everything selected (or the given selections). */
export async function editorWith(
  text: string,
  selections?: (doc: vscode.TextDocument) => vscode.Selection[],
): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ content: text, language: 'plaintext' });
  const editor = await vscode.window.showTextDocument(doc);
  editor.selections = selections
    ? selections(doc)
    : [new vscode.Selection(doc.positionAt(0), doc.positionAt(text.length))];
  return editor;
}

/** Closes every editor without saving (dirty documents are reverted first). */
export async function closeAllEditors(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments) {
    // The user settings file is dirty for a moment while VS Code writes a configuration change: a model of its
    // own, not an editor a test opened (showing it then fails, "another editor opened in the meantime").
    if (!doc.isDirty || doc.uri.path.endsWith('/User/settings.json')) continue;
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
