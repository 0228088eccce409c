// Editors for integration tests: open a document (text or a file) as the active editor, and set
// selections until the workbench echoes them back (its own updates can race ours).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export async function openDocument(content: string | vscode.Uri): Promise<vscode.TextEditor> {
  const doc = typeof content === 'string' ? await vscode.workspace.openTextDocument({ content, language: 'plaintext' }) : await vscode.workspace.openTextDocument(content);
  // Not a preview, and earlier editors stay open: closing them can briefly re-activate an older one.
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  // The commands act on the active editor: wait until the workbench reports this one.
  for (let i = 0; i < 250 && vscode.window.activeTextEditor?.document !== doc; i++) await new Promise((r) => setTimeout(r, 20));
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
  return select(editor, lines.map((l) => new vscode.Selection(l, 0, l, editor.document.lineAt(l).text.length)));
}
