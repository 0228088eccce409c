// The Principals view's commands (sandbox only): create a role (trusted by this account) or a user, edit an inline
// policy (a kms-iam-policy: document), delete a principal (after saying what goes with it), connect as it, and
// "KMS: Open Sandbox Terminal as…" — a terminal whose environment holds that principal's credentials (a role's
// temporary ones from AssumeRole, a user's access key); never printed, logged or shown.
import * as vscode from 'vscode';
import { formatPrincipalRef, isPrincipalName, type PrincipalKind, type PrincipalRef } from '../kms/principalRef';
import { CommandIds } from '../ui/commandIds';
import { asPrincipalNode, isPolicyName, principalPolicyUri, sandboxIam, type SandboxIam } from '../ui/principals';
import type { PickItem } from '../ui/prompter';
import type { Services } from '../ui/services';
import { UserFacingError } from '../ui/userError';

const NEW_POLICY = '\u0000new';

async function withIam<T>(services: Services, work: (s: SandboxIam) => Promise<T>): Promise<T> {
  const s = await sandboxIam(services.connections);
  try {
    return await work(s);
  } finally {
    s.iam.destroy();
  }
}

export async function refreshPrincipals(services: Services): Promise<void> {
  services.principalsTree.refresh();
}

export const createRole = (services: Services) => createPrincipal(services, 'role');
export const createUser = (services: Services) => createPrincipal(services, 'user');

async function createPrincipal(services: Services, kind: PrincipalKind): Promise<PrincipalRef | undefined> {
  const name = await services.prompter.input({
    id: `principals.create.${kind}`,
    title: kind === 'role' ? 'KMS: Create Role' : 'KMS: Create User',
    prompt:
      kind === 'role'
        ? 'Name of the new role. Its trust policy lets this account assume it (principals whose IAM policies allow sts:AssumeRole).'
        : 'Name of the new user.',
    placeHolder: kind === 'role' ? 'App' : 'developer',
    validateInput: (v) =>
      isPrincipalName(v.trim()) ? undefined : 'Use 1 to 64 letters, digits and + = , . @ _ - (no spaces).',
  });
  if (name === undefined) return undefined;
  const ref: PrincipalRef = { kind, name: name.trim() };
  const arn = await withIam(services, ({ kms, iam, accountId }) => kms.principals.createPrincipal(iam, ref, accountId));
  services.log.info(`Created ${formatPrincipalRef(ref)} (${arn}).`);
  services.principalsTree.refresh();
  const edit = 'Edit Inline Policy';
  const chosen = await services.prompter.message(
    'info',
    `Created ${formatPrincipalRef(ref)}. It may call nothing until a policy allows it: give it an inline policy, or name it in a key policy or a grant.`,
    edit,
  );
  if (chosen === edit) await editPrincipalPolicy(services, { kind: 'principal', ref, arn });
  return ref;
}

/** The principal a command acts on: the node's, else one picked from the sandbox's roles and users. */
async function targetPrincipal(services: Services, arg: unknown, title: string): Promise<PrincipalRef | undefined> {
  const node = asPrincipalNode(arg);
  if (node) return node.ref;
  const items = withIam(services, async ({ kms, iam }) =>
    (await kms.principals.listPrincipals(iam)).map((p): PickItem<PrincipalRef> => ({
      label: `$(${p.kind === 'role' ? 'organization' : 'person'}) ${formatPrincipalRef(p)}`,
      description: p.arn,
      value: { kind: p.kind, name: p.name },
    })),
  );
  if (!(await items).length)
    throw new UserFacingError('The sandbox has no roles or users yet: create one in the Principals view first.', {
      level: 'warning',
    });
  return services.prompter.pick(items, { id: 'principals.pick', title, placeholder: 'Which role or user?' });
}

export async function editPrincipalPolicy(services: Services, arg?: unknown): Promise<vscode.TextEditor | undefined> {
  const node = asPrincipalNode(arg);
  let policyName = node?.kind === 'inlinePolicy' ? node.policyName : undefined;
  const ref = node?.ref ?? (await targetPrincipal(services, arg, 'KMS: Edit Inline Policy'));
  if (!ref) return undefined;
  if (!policyName) {
    const existing = await withIam(services, ({ kms, iam }) => kms.principals.listInlinePolicies(iam, ref));
    let chosen: string | undefined = existing.length ? undefined : NEW_POLICY;
    chosen ??= await services.prompter.pick(
      [
        ...existing.map((name): PickItem<string> => ({ label: `$(json) ${name}`, value: name })),
        { label: '$(add) New inline policy…', value: NEW_POLICY },
      ],
      { id: 'principals.policy', title: `Inline policies of ${formatPrincipalRef(ref)}` },
    );
    if (chosen === undefined) return undefined;
    if (chosen === NEW_POLICY) {
      const name = existing.length
        ? await services.prompter.input({
            id: 'principals.policyName',
            title: 'KMS: New Inline Policy',
            prompt: `Name of the new inline policy of ${formatPrincipalRef(ref)}`,
            value: 'kms-access',
            validateInput: (v) =>
              !isPolicyName(v.trim())
                ? 'Use 1 to 128 letters, digits and + = , . @ _ -.'
                : existing.includes(v.trim())
                  ? `${formatPrincipalRef(ref)} already has an inline policy ${v.trim()}.`
                  : undefined,
          })
        : 'kms-access';
      if (name === undefined) return undefined;
      policyName = name.trim();
      void services.prompter.message(
        'info',
        `The inline policy ${policyName} of ${formatPrincipalRef(ref)} starts from a template: it is created when you save it.`,
      );
    } else policyName = chosen;
  }
  const document = await vscode.workspace.openTextDocument(principalPolicyUri(ref, policyName));
  const shown = await vscode.window.showTextDocument(
    document.languageId === 'json' ? document : await vscode.languages.setTextDocumentLanguage(document, 'json'),
    { preview: false },
  );
  return shown;
}

export async function deletePrincipal(services: Services, arg?: unknown): Promise<boolean> {
  const ref = await targetPrincipal(services, arg, 'KMS: Delete Principal');
  if (!ref) return false;
  const name = formatPrincipalRef(ref);
  return withIam(services, async ({ kms, iam }) => {
    const { policies, accessKeys } = await kms.principals.principalDependents(iam, ref);
    const goes = [
      policies.length ? `its inline ${policies.length === 1 ? 'policy' : 'policies'} ${policies.join(', ')}` : '',
      accessKeys.length ? `its access ${accessKeys.length === 1 ? 'key' : 'keys'} ${accessKeys.join(', ')}` : '',
    ].filter(Boolean);
    const acting = services.connections.config.sandboxActAs === name;
    const confirmed = await services.prompter.confirm(`Delete ${name}?`, {
      id: 'principals.delete',
      detail: [
        goes.length ? `Deleted with it: ${goes.join(' and ')}.` : 'It has no inline policies or access keys.',
        'Key policies and grants that name its ARN stay, but no longer match anyone (a new principal of the same name gets a new id).',
        acting ? 'KMS Explorer acts as it now: the connection goes back to the sandbox account.' : '',
      ]
        .filter(Boolean)
        .join(' '),
      confirmLabel: 'Delete',
    });
    if (!confirmed) return false;
    await kms.principals.deletePrincipal(iam, ref, services.context.secrets);
    services.log.info(`Deleted ${name} (${policies.length} inline policies, ${accessKeys.length} access keys).`);
    services.principalsTree.refresh();
    if (acting) await vscode.commands.executeCommand(CommandIds.useSandbox);
    return true;
  });
}

/** Connects as the principal (kmsExplorer.sandbox.actAs). */
export async function actAsPrincipal(services: Services, arg?: unknown): Promise<void> {
  const ref = await targetPrincipal(services, arg, 'KMS: Connect as Principal');
  if (ref) await vscode.commands.executeCommand(CommandIds.useSandbox, formatPrincipalRef(ref));
}

export async function openSandboxTerminalAs(services: Services, arg?: unknown): Promise<vscode.Terminal | undefined> {
  const ref = await targetPrincipal(services, arg, 'KMS: Open Sandbox Terminal as…');
  if (!ref) return undefined;
  const name = formatPrincipalRef(ref);
  const { env, banner } = await withIam(services, async ({ kms, root, accountId }) => {
    const provider = await kms.principals.actAsCredentials(
      { endpoint: root.endpoint, region: root.region, credentials: root, accountId },
      ref,
      services.context.secrets,
      'kms-explorer-terminal',
    );
    const creds = await provider();
    const { sandboxEnvironment, sandboxTerminalBanner } = await import('../kms/sandboxEnv');
    const settings = { ...root, ...creds };
    const until = creds.expiration ? ` until ${creds.expiration.toISOString()}` : '';
    return {
      env: sandboxEnvironment(settings),
      banner: `${sandboxTerminalBanner(settings)}\r\nActing as ${name} (${ref.kind === 'role' ? `temporary credentials from AssumeRole${until}` : 'its access key'}).`,
    };
  });
  const terminal = vscode.window.createTerminal({
    name: `KMS Sandbox · ${name}`,
    iconPath: new vscode.ThemeIcon(ref.kind === 'role' ? 'organization' : 'person'),
    env,
    message: banner,
  });
  terminal.show();
  services.log.info(`Opened a sandbox terminal as ${name}.`);
  return terminal;
}
