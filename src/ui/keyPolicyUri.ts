// Where a key's policy document lives: kms-policy:/<key-id>/<alias> · key policy.json (served by
// editor/keyPolicyFs.ts); the file name is what the tab shows.
import * as vscode from 'vscode';

export const POLICY_SCHEME = 'kms-policy';

/** kms-policy:/<key-id>/<name>, named after the key's first alias: "my-app · key policy.json" (else "key policy.json"). */
export function policyUri(keyId: string, aliases: readonly string[] = []): vscode.Uri {
  return vscode.Uri.from({ scheme: POLICY_SCHEME, path: `/${keyId}/${policyFileName(aliases[0])}` });
}

/** The tab's name: the alias without "alias/" (a "/" in it becomes "∕", which a file name can hold). */
export function policyFileName(alias: string | undefined): string {
  return alias ? `${alias.replace(/^alias\//, '').replaceAll('/', '\u2215')} · key policy.json` : 'key policy.json';
}
