// The Create Key wizard's permission steps, as the console has them: "Define key administrative permissions" (roles
// and users of the account, "Allow key administrators to delete this key") and "Define key usage permissions" (roles
// and users, other AWS accounts); keyPolicyOf turns the answers into the console's own key policy
// (src/policy/consolePolicy.ts), or none — KMS's default — when nobody was chosen.
import type { IamPrincipal } from '../kms/iam';
import type * as Evaluator from '../policy';
import type { PickItem, Prompter } from '../ui/prompter';
import { UserFacingError } from '../ui/userError';
import type { WizardStep } from '../ui/wizard';

export interface PermissionState {
  admins: string[];
  allowDelete: boolean;
  users: string[];
  otherAccounts: string;
}

export const initialPermissions = (): PermissionState => ({
  admins: [],
  allowDelete: true,
  users: [],
  otherAccounts: '',
});

const DELETE = '\u0000delete';
const OTHER = '\u0000other';

function principalItems(list: readonly IamPrincipal[], chosen: readonly string[]): PickItem<string>[] {
  return list.map((p) => ({
    label: `${p.kind}/${p.name}`,
    description: p.arn,
    value: p.arn,
    picked: chosen.includes(p.arn),
  }));
}

/** The two permission steps; `principals` lists the account's roles and users (empty when IAM cannot list them). */
export function permissionSteps<S extends PermissionState>(
  { accountListProblem }: typeof Evaluator,
  p: Prompter,
  title: string,
  principals: Promise<IamPrincipal[]>,
  account: Promise<string | undefined>,
): WizardStep<S>[] {
  return [
    {
      async run(s, at) {
        const items = principals.then((list) => [
          {
            label: 'Allow key administrators to delete this key',
            detail: 'kms:ScheduleKeyDeletion and kms:CancelKeyDeletion',
            value: DELETE,
            picked: s.allowDelete,
          },
          ...principalItems(list, s.admins),
        ]);
        const chosen = await p.pickMany(items, {
          id: 'createKey.admins',
          title: `${title}: key administrators`,
          placeholder: "Roles and users who may manage the key (none: only the account's IAM policies)",
          matchOnDescription: true,
          ...at,
        });
        if (!chosen) return false;
        s.allowDelete = chosen.includes(DELETE);
        s.admins = chosen.filter((v) => v !== DELETE);
        return true;
      },
    },
    {
      async run(s, at) {
        const items = principals.then((list) => [
          {
            label: 'Other AWS accounts…',
            detail: 'Accounts whose IAM policies may allow their roles and users to use the key',
            value: OTHER,
            picked: s.otherAccounts !== '',
          },
          ...principalItems(list, s.users),
        ]);
        const chosen = await p.pickMany(items, {
          id: 'createKey.users',
          title: `${title}: key users`,
          placeholder: 'Roles and users who may use the key in cryptographic operations',
          matchOnDescription: true,
          ...at,
        });
        if (!chosen) return false;
        s.users = chosen.filter((v) => v !== OTHER);
        if (!chosen.includes(OTHER)) {
          s.otherAccounts = '';
          return true;
        }
        const own = (await account) ?? '';
        const text = await p.input({
          id: 'createKey.otherAccounts',
          title: `${title}: other AWS accounts`,
          prompt: '12-digit account ids, separated by commas',
          value: s.otherAccounts,
          validateInput: (v) => accountListProblem(v, own),
          ...at,
        });
        if (text === undefined) return false;
        s.otherAccounts = text;
        return true;
      },
    },
  ];
}

/** The console's key policy for the answers, or undefined (KMS's default policy) when nobody was chosen. */
export async function keyPolicyOf(
  { accountListProblem, consoleKeyPolicy, splitAccounts }: typeof Evaluator,
  s: PermissionState,
  account: Promise<string | undefined>,
  key: { usage: string; spec: string; origin?: string; multiRegion?: boolean },
): Promise<string | undefined> {
  const otherAccounts = splitAccounts(s.otherAccounts);
  if (s.admins.length === 0 && s.users.length === 0 && otherAccounts.length === 0) return undefined;
  const own = await account;
  if (!own)
    throw new UserFacingError(
      'The account of this connection could not be found, so no key policy could be written. No key was created.',
    );
  const problem = accountListProblem(s.otherAccounts, own);
  if (problem) throw new UserFacingError(`${problem} No key was created.`, { level: 'warning' });
  return consoleKeyPolicy({
    account: own,
    administrators: s.admins,
    allowAdministratorsToDelete: s.allowDelete,
    users: s.users,
    otherAccounts,
    keyUsage: key.usage,
    keySpec: key.spec,
    origin: key.origin,
    multiRegion: key.multiRegion,
  });
}
