// Where a key's policy document lives: kms-policy:/<key-id>/<alias> · key policy.json, or
// kms-policy:/<region>/<key-id>/… for a key in a Region other than the connection's (served by
// editor/keyPolicyFs.ts); the file name is what the tab shows.
import * as vscode from 'vscode';

export const POLICY_SCHEME = 'kms-policy';

/**
 * kms-policy:/<key-id>/<name>, named after the key's first alias: "my-app · key policy.json" (else "key policy.json");
 * `region` (a Region other than the connection's) comes first.
 */
export function policyUri(keyId: string, aliases: readonly string[] = [], region?: string): vscode.Uri {
  const path = `${region ? `/${region}` : ''}/${keyId}/${policyFileName(aliases[0])}`;
  return vscode.Uri.from({ scheme: POLICY_SCHEME, path });
}

/** The tab's name: the alias without "alias/" (a "/" in it becomes "∕", which a file name can hold). */
export function policyFileName(alias: string | undefined): string {
  return alias ? `${alias.replace(/^alias\//, '').replaceAll('/', '\u2215')} · key policy.json` : 'key policy.json';
}
