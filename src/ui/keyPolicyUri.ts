// Where a key's policy document lives: kms-policy:/<key-id>/default.json (served by editor/keyPolicyFs.ts).
import * as vscode from 'vscode';

export const POLICY_SCHEME = 'kms-policy';

/** kms-policy:/<key-id>/default.json */
export function policyUri(keyId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: POLICY_SCHEME, path: `/${keyId}/default.json` });
}
