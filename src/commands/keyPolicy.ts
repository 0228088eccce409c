// "KMS: Open Key Policy": the key's policy as a JSON document named after the key's alias (see
// editor/keyPolicyFs.ts); saving it calls PutKeyPolicy. AWS managed keys open read-only. The Key policy
// node of the Keys view runs this with itself as the argument. Saving ("KMS: Save Key Policy", Ctrl+S
// there) is the document's own: editor/keyPolicyFs.ts.
import * as vscode from 'vscode';
import { keyLabel } from '../kms/keys';
import { policyUri } from '../ui/keyPolicyUri';
import { resolveKeyTarget } from '../ui/keyTarget';
import type { Services } from '../ui/services';

export async function openKeyPolicy(services: Services, target?: unknown): Promise<vscode.TextEditor | undefined> {
  const t = await resolveKeyTarget(services, target, {
    id: 'keyPolicy.key',
    title: 'KMS: Open Key Policy',
    verb: 'open the policy of',
  });
  if (!t) return undefined;
  const home = (await services.connections.get()).connection.region;
  const region = t.active.connection.region === home ? undefined : t.active.connection.region;
  const document = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: `Reading the key policy of ${keyLabel(t.key)}…` },
    () => vscode.workspace.openTextDocument(policyUri(t.key.keyId, t.key.aliases, region)),
  );
  if (document.languageId !== 'json') await vscode.languages.setTextDocumentLanguage(document, 'json');
  return vscode.window.showTextDocument(document, { preview: false });
}
