// What the Principals view, its commands and the inline-policy documents share: the view's nodes (plain data), the
// provider's interface, the document URIs (kms-iam-policy:/role/App/kms-access.json) and the sandbox's IAM as root.
import * as vscode from 'vscode';
import { loadKms, type KmsApi } from '../kms/load';
import { isPrincipalName, type PrincipalRef } from '../kms/principalRef';
import type { ConnectionManager } from '../connection/manager';
import { UserFacingError } from './userError';

export const PRINCIPALS_VIEW_ID = 'kmsExplorer.principals';
export const PRINCIPAL_POLICY_SCHEME = 'kms-iam-policy';

export type PrincipalNode =
  | { kind: 'principal'; ref: PrincipalRef; arn: string }
  | { kind: 'inlinePolicy'; ref: PrincipalRef; policyName: string }
  | { kind: 'principalMessage'; id: string; text: string; severity: 'info' | 'error' };

export interface PrincipalsTree extends vscode.TreeDataProvider<PrincipalNode> {
  refresh(): void;
  getChildren(node?: PrincipalNode): Promise<PrincipalNode[]>;
}

/** A Principals view node passed to a command (menus pass the node; anything else is not one). */
export function asPrincipalNode(arg: unknown): Extract<PrincipalNode, { ref: PrincipalRef }> | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const n = arg as Partial<PrincipalNode>;
  return (n.kind === 'principal' || n.kind === 'inlinePolicy') && typeof n.ref === 'object' && n.ref !== null
    ? (n as Extract<PrincipalNode, { ref: PrincipalRef }>)
    : undefined;
}

/** kms-iam-policy:/<role|user>/<name>/<policy name>.json */
export function principalPolicyUri(ref: PrincipalRef, policyName: string): vscode.Uri {
  return vscode.Uri.from({ scheme: PRINCIPAL_POLICY_SCHEME, path: `/${ref.kind}/${ref.name}/${policyName}.json` });
}

const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;

export function isPolicyName(name: string): boolean {
  return POLICY_NAME.test(name);
}

export function parsePrincipalPolicyUri(uri: vscode.Uri): { ref: PrincipalRef; policyName: string } | undefined {
  const m = /^\/(role|user)\/([^/]+)\/([^/]+)\.json$/.exec(uri.path);
  if (!m || !isPrincipalName(m[2]) || !isPolicyName(m[3])) return undefined;
  return { ref: { kind: m[1] as PrincipalRef['kind'], name: m[2] }, policyName: m[3] };
}

export interface SandboxIam {
  kms: KmsApi;
  iam: ReturnType<KmsApi['principals']['iamClient']>;
  accountId: string;
  /** The sandbox's endpoint and root credentials. */
  root: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string };
}

/** The sandbox's IAM with its root credentials (whatever principal the connection acts as); destroy `iam` after. */
export async function sandboxIam(connections: ConnectionManager): Promise<SandboxIam> {
  if (connections.config.connection !== 'sandbox')
    throw new UserFacingError('Roles and users can be managed here only on the local sandbox connection.', {
      level: 'warning',
    });
  const { connection } = await connections.get();
  const s = connection.settings;
  if (s.kind !== 'sandbox') throw new UserFacingError('The connection is not the local sandbox.');
  const kms = await loadKms();
  const root = {
    endpoint: s.endpoint,
    region: s.region,
    accessKeyId: s.accessKeyId,
    secretAccessKey: s.secretAccessKey,
  };
  const target = { endpoint: s.endpoint, region: s.region, credentials: root };
  const accountId = s.accountId ?? (await kms.principals.callerIdentity(target)).account;
  return { kms, iam: kms.principals.iamClient(target), accountId, root };
}
