// Shared by the issue-4B suites: Issue4Prompter plus multi-select answers (several labels) and open
// dialogs, and small helpers for editors and the sandbox's state.
import * as vscode from 'vscode';
import { CreateKeyCommand, type CreateKeyCommandInput, type KMSClient } from '@aws-sdk/client-kms';
import type { PickItem, PickOptions, SaveOptions } from '../../../src/ui/prompter';
import { Issue4Prompter } from './tree';

export class Issue4BPrompter extends Issue4Prompter {
  private readonly many = new Map<string, string[][]>();
  openFrom: vscode.Uri | undefined;

  /** Answer the next multi-select with this id by choosing the items with these labels. */
  answerPickMany(id: string, labels: string[]): this {
    this.many.set(id, [...(this.many.get(id) ?? []), labels]);
    return this;
  }

  override async pickMany<T>(items: PickItem<T>[] | Promise<PickItem<T>[]>, options: PickOptions): Promise<T[] | undefined> {
    const labels = this.many.get(options.id)?.shift();
    if (!labels) return super.pickMany(items, options);
    const list = await items;
    this.recorded.picks.push({ id: options.id, labels: list.map((i) => i.label), descriptions: list.map((i) => i.description) });
    return list.filter((i) => labels.includes(i.label)).map((i) => i.value);
  }

  async openLocation(_options: SaveOptions): Promise<vscode.Uri | undefined> {
    return this.openFrom;
  }
}

export async function newKey(client: KMSClient, input: CreateKeyCommandInput = {}): Promise<string> {
  return (await client.send(new CreateKeyCommand(input))).KeyMetadata!.KeyId!;
}

/** A fresh untitled editor with `text`, everything selected (or the given selections). */
export async function editorWith(text: string, selections?: (doc: vscode.TextDocument) => vscode.Selection[]): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ content: text, language: 'plaintext' });
  const editor = await vscode.window.showTextDocument(doc);
  editor.selections = selections ? selections(doc) : [new vscode.Selection(doc.positionAt(0), doc.positionAt(text.length))];
  return editor;
}

/** Closes every editor without saving (dirty documents are reverted first). */
export async function closeAllEditors(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments) {
    if (!doc.isDirty) continue;
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
