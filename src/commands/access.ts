// Who can use a key, as commands: "KMS: Check Access…" (a principal, an operation, optionally an encryption context
// → Allowed / Denied (explicit) / Denied (nothing allows) with the statements and grants that decided, linked into
// the key policy document), and opening an Access entry's source (its statement selected in the key policy document,
// or its grant revealed in the Keys view). IAM identity policies come from SimulatePrincipalPolicy; where IAM cannot
// be asked, the key policy and grants are evaluated alone and the answer says so.
import * as vscode from 'vscode';
import { parseEncryptionContext } from '../kms/encryptionContext';
import { explainKmsError } from '../kms/errors';
import { keyLabel, type CatalogKey } from '../kms/keys';
import { loadKms } from '../kms/load';
import type { AccessSource } from '../policy/access';
import type { Explanation, IdentityVerdict } from '../policy/explain';
import { isCheckAccessPrefill, type CheckAccessPrefill } from '../ui/checkAccess';
import { resolveKeyTarget } from '../ui/keyTarget';
import { isRegionName } from '../ui/regionTarget';
import type { Services } from '../ui/services';
import type { AccessNode } from '../ui/treeNodes';
import { UserFacingError } from '../ui/userError';
import { openKeyPolicy } from './keyPolicy';

const TITLE = 'KMS: Check Access';

/** The answer Check Access showed (integration tests read it). */
export interface CheckAccessResult extends Explanation {
  readonly principalArn: string;
  readonly action: string;
  readonly keyId: string;
  /** Why IAM was not asked, when it was not. */
  readonly iamProblem?: string;
}

export async function checkAccess(services: Services, arg?: unknown): Promise<CheckAccessResult | undefined> {
  const prefill: CheckAccessPrefill = isCheckAccessPrefill(arg) ? arg : {};
  const node = !isCheckAccessPrefill(arg) && isAccessNode(arg) ? arg : undefined;
  if (prefill.region !== undefined && !isRegionName(prefill.region))
    throw new UserFacingError(`"${prefill.region}" is not an AWS Region name. Nothing was checked.`, {
      level: 'warning',
    });
  // A key ARN names its Region; a key id (or no key: the picker) is looked for in the prefill's Region.
  const target = await resolveKeyTarget(services, isCheckAccessPrefill(arg) ? prefill.keyId : arg, {
    id: 'checkAccess.key',
    title: TITLE,
    verb: 'check access to',
    region: prefill.region,
  });
  if (!target) return undefined;
  const { active, key } = target;
  const kms = await loadKms();
  const { canonicalAction, explainAccess, grantInfo, parsePolicy, principalFromArn, takesEncryptionContext } =
    kms.policy;
  const iam = kms.iam.iamClientOf(active.connection);
  const nodePrincipal = node && node.level !== 'root' && node.level !== 'group' ? node.principal.principal : undefined;
  // Principals of the Access node that are IAM ARNs (not `*`, services or account ids) prefill the principal.
  const fromNode = nodePrincipal && principalFromArn(nodePrincipal) ? nodePrincipal : undefined;
  const principalArn = prefill.principalArn ?? fromNode ?? (await pickPrincipal(services, key));
  if (!principalArn) return undefined;
  const action =
    (prefill.action && canonicalAction(prefill.action)) ??
    (node?.level === 'entry' ? canonicalAction(node.entry.action) : undefined) ??
    (await pickAction(services));
  if (!action) return undefined;
  let encryptionContext: Record<string, string> | undefined;
  if (takesEncryptionContext(action)) {
    const text = await services.prompter.input({
      id: 'checkAccess.context',
      title: `${TITLE}: encryption context`,
      prompt: `Optional. The encryption context of the ${action} request: key=value pairs separated by commas.`,
      validateInput: (v) => {
        const parsed = parseEncryptionContext(v);
        return 'error' in parsed ? parsed.error : undefined;
      },
    });
    if (text === undefined) return undefined;
    const parsed = parseEncryptionContext(text);
    if ('error' in parsed) throw new UserFacingError(parsed.error, { level: 'warning' });
    encryptionContext = parsed.context;
  }

  const policyText = await kms.keyPolicy.getKeyPolicy(active.connection.client, key.arn);
  const grants = (await active.catalog.grants(key.keyId)).map(grantInfo);
  let identity: IdentityVerdict | undefined;
  let iamProblem: string | undefined;
  try {
    identity = await kms.iam.simulateIdentity(iam, {
      principalArn,
      action,
      keyArn: key.arn,
      keyPolicy: policyText,
      encryptionContext,
    });
  } catch (err) {
    const e = explainKmsError(err);
    iamProblem = `${e.code}: ${e.detail ?? e.summary}`;
    services.log.info(
      `Check Access: IAM SimulatePrincipalPolicy failed (${e.code}); evaluating the key policy and grants only.`,
    );
  }
  const explanation = explainAccess({
    policy: parsePolicy(policyText, { kind: 'resource' }),
    grants,
    principalArn,
    action,
    keyArn: key.arn,
    encryptionContext,
    identity,
  });
  const result: CheckAccessResult = { ...explanation, principalArn, action, keyId: key.keyId, iamProblem };
  services.log.info(`Check Access: ${principalArn} ${action} on key ${key.keyId}: ${explanation.title}.`);
  void showAnswer(services, key, result);
  return result;
}

async function showAnswer(services: Services, key: CatalogKey, r: CheckAccessResult): Promise<void> {
  const lines = r.reasons.map((x) => x.words);
  // The account root has no IAM policies to simulate: nothing was left out for it.
  if (!r.iamIncluded && r.verdict !== 'dependsOnIam' && !r.principalArn.endsWith(':root'))
    lines.push(`IAM identity policies were not included${r.iamProblem ? ` (${r.iamProblem})` : ''}.`);
  const text = `${r.title}: ${r.principalArn} → ${r.action} on ${keyLabel(key)}. ${lines.join(' ')}`;
  const statement = r.reasons.find((x) => x.source?.kind === 'statement')?.source;
  const grant = r.reasons.find((x) => x.source?.kind === 'grant')?.source;
  const actions = [...(statement ? ['Show Statement'] : []), ...(grant ? ['Show Grant'] : [])];
  const level = r.verdict === 'allowed' ? 'info' : r.verdict === 'dependsOnIam' ? 'warning' : 'error';
  const chosen = await services.prompter.message(level, text, ...actions);
  if (chosen === 'Show Statement' && statement) await revealSource(services, key, statement);
  if (chosen === 'Show Grant' && grant) await revealSource(services, key, grant);
}

function isAccessNode(arg: unknown): arg is AccessNode {
  return !!arg && typeof arg === 'object' && (arg as { kind?: unknown }).kind === 'access';
}

async function pickPrincipal(services: Services, key: CatalogKey): Promise<string | undefined> {
  const active = await services.connections.get();
  const kms = await loadKms();
  const { principalFromArn } = kms.policy;
  const TYPE = '\u0000type';
  const root = `arn:aws:iam::${key.arn.split(':')[4]}:root`;
  const items = kms.iam
    .listPrincipals(kms.iam.iamClientOf(active.connection))
    .catch((err: unknown) => {
      services.log.info(`Check Access: roles and users could not be listed (${explainKmsError(err).code}).`);
      return [];
    })
    .then((list) => [
      {
        label: '$(edit) Enter a principal ARN…',
        detail: 'A role, user, assumed-role session or account root',
        value: TYPE,
      },
      { label: '$(organization) Account root', description: root, value: root },
      ...list.map((p) => ({
        label: `${p.kind}/${p.name}`,
        description: p.arn,
        iconPath: new vscode.ThemeIcon(p.kind === 'role' ? 'server-process' : 'account'),
        value: p.arn,
      })),
    ]);
  const picked = await services.prompter.pick(items, {
    id: 'checkAccess.principal',
    title: `${TITLE}: who`,
    placeholder: 'The principal to check (roles and users of the account)',
    matchOnDescription: true,
  });
  if (picked !== TYPE) return picked;
  const typed = await services.prompter.input({
    id: 'checkAccess.principalArn',
    title: `${TITLE}: principal ARN`,
    prompt: 'arn:aws:iam::111122223333:role/NAME, …:user/NAME, arn:aws:sts::…:assumed-role/ROLE/SESSION or …:root',
    validateInput: (v) => (principalFromArn(v.trim()) ? undefined : 'Not an IAM role, user, session or root ARN.'),
  });
  const arn = typed?.trim();
  if (arn !== undefined && !principalFromArn(arn))
    throw new UserFacingError(`${arn} is not an IAM principal ARN. Nothing was checked.`, { level: 'warning' });
  return arn || undefined;
}

async function pickAction(services: Services): Promise<string | undefined> {
  const { KEY_ACTIONS } = (await loadKms()).policy;
  return services.prompter.pick(
    KEY_ACTIONS.map((a) => ({ label: a, value: a })),
    { id: 'checkAccess.action', title: `${TITLE}: operation`, placeholder: 'The KMS operation to check' },
  );
}

/** An Access entry's source: its statement selected in the key policy document, or its grant in the Keys view. */
export async function revealAccessSource(services: Services, node?: unknown): Promise<void> {
  if (!isAccessNode(node) || node.level !== 'entry') return;
  await revealSource(services, node.key, node.entry.source);
}

async function revealSource(services: Services, key: CatalogKey, source: AccessSource): Promise<void> {
  if (source.kind === 'statement') {
    const editor = await openKeyPolicy(services, { kind: 'policy', key, policyName: 'default' });
    if (!editor) return;
    const range = (await loadKms()).policy.statementRange(editor.document.getText(), source.index);
    if (!range) return;
    const selection = new vscode.Selection(
      editor.document.positionAt(range.start),
      editor.document.positionAt(range.end),
    );
    editor.selection = selection;
    editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return;
  }
  const active = await services.connections.get();
  const grant = (await active.catalog.grants(key.keyId)).find((g) => g.GrantId === source.grantId);
  if (!grant) throw new UserFacingError(`The grant ${source.grantId} no longer exists on ${keyLabel(key)}.`);
  await services.keysView.reveal({ kind: 'grant', grant, key }, { select: true, focus: true, expand: false });
}
