// The key policy as a document: a FileSystemProvider for kms-policy:/<key-id>/<alias> · key policy.json
// on the current connection (the file name is what the tab shows). Reading calls GetKeyPolicy (shown indented; JSON language and the IAM policy
// schema of media/schemas apply through contributes.jsonValidation). Saving calls PutKeyPolicy after two
// checks: the text is JSON (else the save fails with where the mistake is), and the policy has not changed
// elsewhere since this document read it (else a modal asks before overwriting). A save KMS refuses
// (MalformedPolicyDocumentException, …) fails with KMS's message, so VS Code keeps the document dirty with
// the user's text. "KMS: Save Key Policy" (Ctrl+S in a policy document) runs the same checks and PutKeyPolicy
// first, so a refusal reads as KMS's message, not wrapped in VS Code's "Unable to write file"; the save that
// follows finds the policy already in place. Before PutKeyPolicy, a modal lists what changes for whom
// (editor/accessChange.ts); cancelling it keeps the text unsaved. AWS managed keys' policies are read-only.
import * as vscode from 'vscode';
import { loadKms } from '../kms/load';
import { keyLabel, keyManagerKind } from '../kms/keys';
import { explainKmsError } from '../kms/errors';
import { POLICY_SCHEME } from '../ui/keyPolicyUri';
import type { Services } from '../ui/services';
import { UserFacingError } from '../ui/userError';
import { confirmAccessChange } from './accessChange';
import { PolicyDocumentFileSystem, type DocumentState, type Reading } from './policyDocumentFs';

/** The key id of a policy document's URI, or undefined for a folder or another file. */
export function keyIdOfPolicyUri(uri: vscode.Uri): string | undefined {
  return /^\/(?:[a-z0-9-]+\/)?([^/]+)\/[^/]+\.json$/.exec(uri.path)?.[1];
}

/** The Region a policy document's URI names (kms-policy:/<region>/<key-id>/…), else undefined: the connection's. */
function regionOfPolicyUri(uri: vscode.Uri): string | undefined {
  return /^\/([a-z0-9-]+)\/[^/]+\/[^/]+\.json$/.exec(uri.path)?.[1];
}

const instances = new WeakMap<Services, KeyPolicyFileSystem>();

/** The one provider of an activation: registered for the scheme, and used by "KMS: Save Key Policy". */
export function keyPolicyFileSystem(services: Services): KeyPolicyFileSystem {
  let provider = instances.get(services);
  if (!provider) instances.set(services, (provider = new KeyPolicyFileSystem(services)));
  return provider;
}

interface KeyPolicyState extends DocumentState {
  /** The policy as KMS had it when this document last read or saved it. */
  policy: string;
  readonly: boolean;
  label: string;
}

export class KeyPolicyFileSystem extends PolicyDocumentFileSystem<KeyPolicyState> {
  constructor(private readonly services: Services) {
    super(POLICY_SCHEME, 'Key policies cannot be created or deleted, only edited.');
  }

  protected isDocument(uri: vscode.Uri): boolean {
    return keyIdOfPolicyUri(uri) !== undefined;
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    this.refuseAutoSave(uri, 'A key policy');
    let label: string;
    try {
      label = await this.put(uri, content);
    } catch (err) {
      // VS Code wraps what is thrown here ("Unable to write file …"): the message is the reason only.
      throw err instanceof UserFacingError ? new Error(err.message) : err;
    }
    const text = Buffer.from(content).toString('utf8');
    this.saved(uri, { text, policy: text, readonly: false, label });
  }

  /**
   * Checks the text and puts it as the key's policy (nothing is sent when KMS already has it); throws a
   * UserFacingError with the reason — KMS's own message when KMS refused — and changes nothing then.
   * The document's file state is writeFile's to update. Returns the key's label.
   */
  async put(uri: vscode.Uri, content: Uint8Array): Promise<string> {
    const keyId = keyIdOfPolicyUri(uri);
    if (!keyId)
      throw vscode.FileSystemError.NoPermissions('Only kms-policy:/<key-id>/<name>.json documents can be saved.');
    const { getKeyPolicy, policyTextProblem, putKeyPolicy, samePolicy } = (await loadKms()).keyPolicy;
    const { connection, catalog } = await this.services.connections.forRegion(regionOfPolicyUri(uri));
    const key = await catalog.find(keyId);
    const label = key ? keyLabel(key) : keyId;
    if (key && keyManagerKind(key) === 'aws')
      throw vscode.FileSystemError.NoPermissions(`${label} is an AWS managed key: its key policy is read-only.`);
    const text = Buffer.from(content).toString('utf8');
    const problem = policyTextProblem(text);
    if (problem)
      throw new UserFacingError(`${problem} The key policy was not changed; your text is kept.`, { level: 'warning' });
    try {
      const opened = this.known(uri);
      const current = await getKeyPolicy(connection.client, keyId);
      if (opened && !samePolicy(current, opened.policy) && !samePolicy(current, text)) {
        const overwrite = await this.services.prompter.confirm(
          `The key policy of ${label} was changed elsewhere since you opened it. Overwrite it with your version?`,
          {
            id: 'keyPolicy.overwrite',
            detail:
              'Saving replaces the whole policy, so the other change would be lost. To see it first, copy your text aside and run "File: Revert File".',
            confirmLabel: 'Overwrite',
          },
        );
        if (!overwrite)
          throw new UserFacingError(
            `Not saved: the key policy of ${label} changed elsewhere since you opened it. Your text is kept; run "File: Revert File" to load the current policy.`,
          );
      }
      if (!samePolicy(current, text)) {
        await confirmAccessChange(this.services, current, text, key?.arn ?? keyId, label);
        await putKeyPolicy(connection.client, keyId, text);
      }
    } catch (err) {
      if (err instanceof UserFacingError) throw err;
      const e = explainKmsError(err);
      this.services.log.warn(`PutKeyPolicy for key ${keyId} failed: ${e.code}: ${e.detail ?? e.summary}`);
      const fromKms = typeof err === 'object' && err !== null && '$metadata' in err;
      throw new UserFacingError(
        fromKms
          ? `${e.detail ?? e.summary} (KMS refused the key policy of ${label}: ${e.code}.) Your text is kept; fix it and save again.`
          : `${e.summary} The key policy of ${label} was not saved; your text is kept: save again.`,
        { explained: e },
      );
    }
    this.services.log.info(`Saved the key policy of key ${keyId}.`);
    return label;
  }

  /** GetKeyPolicy now; what was read is remembered for the change check at save. */
  protected async read(uri: vscode.Uri): Promise<Reading<KeyPolicyState>> {
    const keyId = keyIdOfPolicyUri(uri);
    if (!keyId) throw vscode.FileSystemError.FileNotFound(uri);
    const { formatPolicy, getKeyPolicy, samePolicy } = (await loadKms()).keyPolicy;
    const { connection, catalog } = await this.services.connections.forRegion(regionOfPolicyUri(uri));
    let policy: string;
    try {
      policy = await getKeyPolicy(connection.client, keyId);
    } catch (err) {
      const e = explainKmsError(err);
      if (e.code === 'NotFoundException') throw vscode.FileSystemError.FileNotFound(uri);
      throw new Error(`Could not read the key policy: ${e.summary}${e.detail ? ` (${e.code}: ${e.detail})` : ''}`);
    }
    const key = await catalog.find(keyId).catch(() => undefined);
    const state = {
      text: formatPolicy(policy),
      policy,
      readonly: !!key && keyManagerKind(key) === 'aws',
      label: key ? keyLabel(key) : keyId,
    };
    return (previous) => ({ state, same: !!previous && samePolicy(previous.policy, policy) });
  }
}

/** "KMS: Save Key Policy": PutKeyPolicy for the active policy document (a refusal shows as KMS's message), then the save. */
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
