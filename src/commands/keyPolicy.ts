// "KMS: Open Key Policy": the key's policy as a JSON document named after the key's alias (see
// editor/keyPolicyFs.ts); saving it calls PutKeyPolicy. AWS managed keys open read-only. The Key policy
// node of the Keys view runs this with itself as the argument. "KMS: Save Key Policy" (Ctrl+S there)
// puts the policy first, so KMS's refusal shows as KMS's message; then the document is saved.
import * as vscode from 'vscode';
import { keyLabel } from '../kms/keys';
import { keyPolicyFileSystem, POLICY_SCHEME, policyUri } from '../editor/keyPolicyFs';
import { resolveKeyTarget } from './keyTarget';
import type { Services } from './services';

export async function openKeyPolicy(services: Services, target?: unknown): Promise<vscode.TextEditor | undefined> {
  const t = await resolveKeyTarget(services, target, { id: 'keyPolicy.key', title: 'KMS: Open Key Policy', verb: 'open the policy of' });
  if (!t) return undefined;
  const document = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Reading the key policy of ${keyLabel(t.key)}…` }, () =>
    vscode.workspace.openTextDocument(policyUri(t.key.keyId, t.key.aliases)),
  );
  if (document.languageId !== 'json') await vscode.languages.setTextDocumentLanguage(document, 'json');
  return vscode.window.showTextDocument(document, { preview: false });
}

/** Saves the active key policy document: PutKeyPolicy (its refusal is reported as KMS words it), then the document. */
export async function saveKeyPolicy(services: Services): Promise<void> {
  const document = vscode.window.activeTextEditor?.document;
  if (document?.uri.scheme !== POLICY_SCHEME) {
    await vscode.commands.executeCommand('workbench.action.files.save');
    return;
  }
  if (!document.isDirty) return;
  await keyPolicyFileSystem(services).put(document.uri, Buffer.from(document.getText(), 'utf8'));
  await document.save();
}
