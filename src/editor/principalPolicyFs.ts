// A sandbox role's or user's inline policy as a document: a FileSystemProvider for
// kms-iam-policy:/<role|user>/<name>/<policy name>.json (JSON, validated by media/schemas/identity-policy.schema.json).
// Reading calls GetRolePolicy/GetUserPolicy (a policy that does not exist yet reads as a starting template, created
// on the first save); saving checks the text is JSON, then PutRolePolicy/PutUserPolicy. A save IAM refuses
// (MalformedPolicyDocument, LimitExceeded, …) shows IAM's message and throws, so VS Code keeps the document dirty.
import * as vscode from 'vscode';
import { explainKmsError } from '../kms/errors';
import { formatPrincipalRef } from '../kms/principalRef';
import { parsePrincipalPolicyUri, PRINCIPAL_POLICY_SCHEME, sandboxIam } from '../ui/principals';
import type { Services } from '../ui/services';
import { PolicyDocumentFileSystem, type DocumentState, type Reading } from './policyDocumentFs';

/** What a new inline policy starts as: the key operations of a typical application, on every key. */
export const POLICY_TEMPLATE = JSON.stringify(
  {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'UseKeys', Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'], Resource: '*' },
    ],
  },
  null,
  2,
);

export class PrincipalPolicyFileSystem extends PolicyDocumentFileSystem<DocumentState> {
  constructor(private readonly services: Services) {
    super(PRINCIPAL_POLICY_SCHEME, 'Inline policies are edited here; delete them with the principal.');
  }

  protected isDocument(uri: vscode.Uri): boolean {
    return parsePrincipalPolicyUri(uri) !== undefined;
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const target = parsePrincipalPolicyUri(uri);
    if (!target) throw vscode.FileSystemError.NoPermissions('Only kms-iam-policy:/<role|user>/<name>/<policy>.json.');
    this.refuseAutoSave(uri, 'An inline policy');
    const text = Buffer.from(content).toString('utf8');
    const who = formatPrincipalRef(target.ref);
    try {
      JSON.parse(text);
    } catch (err) {
      return this.refuse(`The inline policy ${target.policyName} of ${who} is not JSON (${(err as Error).message}).`);
    }
    const { kms, iam } = await sandboxIam(this.services.connections);
    try {
      await kms.principals.putInlinePolicy(iam, target.ref, target.policyName, text);
    } catch (err) {
      const e = explainKmsError(err);
      this.services.log.warn(`Put${target.ref.kind === 'role' ? 'Role' : 'User'}Policy for ${who} failed: ${e.code}`);
      return this.refuse(
        `IAM refused the inline policy ${target.policyName} of ${who}: ${e.detail ?? e.summary} (${e.code})`,
      );
    } finally {
      iam.destroy();
    }
    this.services.log.info(`Saved the inline policy ${target.policyName} of ${who}.`);
    this.saved(uri, { text });
  }

  /** Shows why the save failed and throws, so VS Code keeps the document dirty with the user's text. */
  private refuse(message: string): never {
    const text = `${message} Your text is kept; fix it and save again.`;
    void this.services.prompter.message('error', text);
    throw new Error(text);
  }

  /** GetRolePolicy/GetUserPolicy now; a policy not there yet reads as the template. */
  protected async read(uri: vscode.Uri): Promise<Reading<DocumentState>> {
    const target = parsePrincipalPolicyUri(uri);
    if (!target) throw vscode.FileSystemError.FileNotFound(uri);
    const { kms, iam } = await sandboxIam(this.services.connections);
    let document: string | undefined;
    try {
      document = await kms.principals.getInlinePolicy(iam, target.ref, target.policyName);
    } catch (err) {
      const e = explainKmsError(err);
      if (e.code === 'NoSuchEntityException') throw vscode.FileSystemError.FileNotFound(uri);
      throw new Error(`Could not read the inline policy: ${e.detail ?? e.summary}`);
    } finally {
      iam.destroy();
    }
    return (previous) => {
      // The policy as last read or saved keeps its text (the user's layout) and its time.
      if (previous && document !== undefined && sameJson(previous.text, document))
        return { state: previous, same: true };
      const text = document === undefined ? POLICY_TEMPLATE : pretty(document);
      return { state: { text }, same: previous?.text === text };
    };
  }
}

function sameJson(a: string, b: string): boolean {
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return false;
  }
}

function pretty(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}
