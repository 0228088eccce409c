// "KMS: Create Key": a multi-step wizard with Back — key type and usage, key spec, alias (validated as
// you type), description, tags, origin, key administrators, key users (the console's key policy) — then
// CreateKey (+ CreateAlias), and the new key revealed and selected in the Keys view.
import type { KeySpec } from '@aws-sdk/client-kms';
import { loadKms } from '../kms/load';
import type { KeyTypeChoice, NewKey } from '../kms/createKey';
import { keyLabel } from '../kms/keys';
import { withCancellableProgress } from '../ui/progress';
import { activeFor } from '../ui/regionTarget';
import type { PickItem } from '../ui/prompter';
import type { Services } from '../ui/services';
import { UserFacingError } from '../ui/userError';
import { runWizard, type WizardStep } from '../ui/wizard';
import { initialPermissions, keyPolicyOf, permissionSteps, type PermissionState } from './createKeyPermissions';

interface CreateKeyState extends PermissionState {
  type?: KeyTypeChoice;
  spec?: KeySpec;
  alias: string;
  description: string;
  tagsText: string;
  origin?: NewKey['origin'];
  multiRegion?: boolean;
}

const TITLE = 'KMS: Create Key';

type OriginChoice = { origin: NewKey['origin']; multiRegion: boolean };

/** The key material's origins: what the choice says, and what it means for a single- and a multi-Region key. */
const ORIGINS = [
  {
    origin: 'AWS_KMS',
    says: 'KMS generates the key material',
    single: 'Recommended: the key material never leaves KMS.',
    multi: 'A primary key with the same key material in every Region you replicate it to (KMS: Replicate Key…).',
  },
  {
    origin: 'EXTERNAL',
    says: 'import your own key material',
    single: 'The key stays "Pending import" until you import material (KMS: Import Key Material).',
    multi: 'Each replica needs the same key material imported into it.',
  },
] as const;

/** The origin step's choices: each origin for a single-Region key, then for a multi-Region primary key (mrk-). */
const ORIGIN_CHOICES: PickItem<OriginChoice>[] = [false, true].flatMap((multiRegion) =>
  ORIGINS.map((o) => ({
    label: multiRegion ? `Multi-Region key: ${o.says}` : o.says[0].toUpperCase() + o.says.slice(1),
    description: multiRegion ? `${o.origin} · mrk-` : o.origin,
    detail: multiRegion ? o.multi : o.single,
    value: { origin: o.origin, multiRegion },
  })),
);

export async function createKey(services: Services, target?: unknown): Promise<void> {
  // Run on a Region's node (several Regions shown): the key is made in that Region.
  const active = await activeFor(services, target);
  const kms = (await loadKms()).createKey;
  const { aliasNameProblem, createAlias } = (await loadKms()).aliases;
  const { parseTagList } = (await loadKms()).tags;
  const taken = (await active.catalog.aliases()).map((a) => a.AliasName ?? '');
  const p = services.prompter;
  const { iam, policy: evaluator } = await loadKms();
  const principals = iam.listPrincipals(iam.iamClientOf(active.connection)).catch((err: unknown) => {
    services.log.info(`Create Key: roles and users could not be listed (${(err as Error).name}).`);
    return [];
  });
  const account = iam.callerAccount(active.connection).catch(() => undefined);
  const aliasOf = (text: string) => (text.trim() === '' || text.trim() === 'alias/' ? undefined : text.trim());

  const steps: WizardStep<CreateKeyState>[] = [
    {
      async run(s, at) {
        const items = kms.KEY_TYPES.map((type) => ({
          label: type.label,
          detail: type.detail,
          description: type.usage,
          value: type,
        }));
        const type = await p.pick(items, {
          id: 'createKey.type',
          title: TITLE,
          placeholder: 'What will the key do?',
          ...at,
        });
        if (type && type !== s.type) s.spec = undefined;
        s.type = type;
        return !!type;
      },
    },
    {
      // Counted until the type is known, so the first step reads 1/6; skipped for a one-spec type.
      skip: (s) => !!s.type && s.type.specs.length <= 1,
      async run(s, at) {
        const items = (s.type?.specs ?? []).map(({ spec, detail }) => ({
          label: spec,
          description: detail,
          value: spec,
        }));
        s.spec = await p.pick(items, {
          id: 'createKey.spec',
          title: `${TITLE}: ${s.type?.label}`,
          placeholder: 'Key spec',
          matchOnDescription: true,
          ...at,
        });
        return !!s.spec;
      },
    },
    {
      async run(s, at) {
        const text = await p.input({
          id: 'createKey.alias',
          title: `${TITLE}: alias`,
          prompt:
            'Optional. alias/ then letters, digits and / _ - (e.g. alias/my-app-key). Leave "alias/" alone for none.',
          value: s.alias || 'alias/',
          valueSelection: [(s.alias || 'alias/').length, (s.alias || 'alias/').length],
          validateInput: (v) => (aliasOf(v) ? aliasNameProblem(v.trim(), taken) : undefined),
          ...at,
        });
        if (text === undefined) return false;
        s.alias = text.trim();
        return true;
      },
    },
    {
      async run(s, at) {
        const text = await p.input({
          id: 'createKey.description',
          title: `${TITLE}: description`,
          prompt: 'Optional. What the key is for.',
          value: s.description,
          validateInput: kms.descriptionProblem,
          ...at,
        });
        if (text === undefined) return false;
        s.description = text;
        return true;
      },
    },
    {
      async run(s, at) {
        const text = await p.input({
          id: 'createKey.tags',
          title: `${TITLE}: tags`,
          prompt: 'Optional. key=value pairs separated by commas, e.g. team=payments, env=dev',
          value: s.tagsText,
          validateInput: (v) => {
            const parsed = parseTagList(v);
            return 'problem' in parsed ? parsed.problem : undefined;
          },
          ...at,
        });
        if (text === undefined) return false;
        s.tagsText = text;
        return true;
      },
    },
    {
      async run(s, at) {
        const chosen = await p.pick<OriginChoice>(ORIGIN_CHOICES, {
          id: 'createKey.origin',
          title: `${TITLE}: key material origin`,
          ...at,
        });
        s.origin = chosen?.origin;
        s.multiRegion = chosen?.multiRegion;
        return !!s.origin;
      },
    },
    ...permissionSteps<CreateKeyState>(evaluator, p, TITLE, principals, account),
  ];

  const answers = await runWizard<CreateKeyState>(
    { alias: '', description: '', tagsText: '', ...initialPermissions() },
    steps,
  );
  if (!answers?.type || !answers.origin) return;
  // Validate again: a scripted or pasted answer may not have gone through validateInput.
  const alias = aliasOf(answers.alias);
  const aliasProblem = alias ? aliasNameProblem(alias, taken) : undefined;
  const descriptionProblem = kms.descriptionProblem(answers.description);
  const tags = parseTagList(answers.tagsText);
  const problem = aliasProblem ?? descriptionProblem ?? ('problem' in tags ? tags.problem : undefined);
  if (problem || 'problem' in tags)
    throw new UserFacingError(`${problem ?? ''} No key was created.`, { level: 'warning' });

  const newKey: NewKey = {
    usage: answers.type.usage,
    spec: answers.spec ?? answers.type.specs[0].spec,
    description: answers.description,
    tags: tags.tags,
    origin: answers.origin,
    multiRegion: answers.multiRegion,
  };
  newKey.policy = await keyPolicyOf(evaluator, answers, account, newKey);
  const metadata = await withCancellableProgress('Creating the key…', async (signal, progress) => {
    const created = await kms.createKey(active.connection.client, newKey, signal);
    if (alias) {
      progress.report({ message: alias });
      try {
        await createAlias(active.connection.client, alias, created.KeyId ?? '');
      } catch (err) {
        active.catalog.invalidate();
        services.keysTree.refresh();
        throw new UserFacingError(
          `Created key ${created.KeyId}, but the alias ${alias} could not be created: ${(err as Error).message}`,
          { keyId: created.Arn },
        );
      }
    }
    return created;
  });
  const keyId = metadata.KeyId ?? '';
  services.log.info(
    `Created ${newKey.spec} ${newKey.usage} key ${keyId}${alias ? ` with alias ${alias}` : ''} (origin ${newKey.origin}).`,
  );
  active.catalog.invalidate();
  services.keysTree.refresh();
  if (alias) services.aliasesTree.refresh();
  await revealKey(services, metadata.Arn ?? keyId);
  const label = alias ?? keyId;
  const more =
    (newKey.origin === 'EXTERNAL' ? ' It is Pending import until you import key material.' : '') +
    (newKey.multiRegion ? ' It is a multi-Region primary key: KMS: Replicate Key… copies it into other Regions.' : '');
  void services.prompter.message('info', `Created ${label}.${more}`);
}

/** Shows the key (id, or ARN for another Region's) in the Keys view, selected; offers to clear a filter that hides it. */
export async function revealKey(services: Services, keyIdOrArn: string): Promise<void> {
  const active = await activeFor(services, keyIdOrArn);
  const key = await active.catalog.find(keyIdOrArn);
  if (!key) return;
  const parent = await services.keysTree.getParent({ kind: 'key', key });
  if (!parent || !(parent.kind === 'group' && parent.keys.some((k) => k.arn === key.arn))) {
    const clear = await services.prompter.message(
      'info',
      `${keyLabel(key)} is hidden by the Keys view's filter.`,
      'Clear filter',
    );
    if (clear !== 'Clear filter') return;
    await services.keysTree.viewState.setFilter('');
    await services.keysTree.viewState.setAwsManagedHidden(false);
    services.keysTree.refresh();
  }
  await services.keysView.reveal({ kind: 'key', key }, { select: true, focus: true, expand: false });
}
