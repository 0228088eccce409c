// Multi-Region keys: "KMS: Replicate Key…" (the Regions without a replica yet, then the replica's
// description, tags and key policy as Create Key asks), "KMS: Update Primary Region…" (a replica becomes
// the primary) and the related-key nodes' "show this key in its Region" (adding its Region to those shown).
import { multiRegionPlace, keyLabel, type CatalogKey } from '../kms/keys';
import { loadKms } from '../kms/load';
import { afterKeyChange, resolveKeyTarget, type KeyTarget } from '../ui/keyTarget';
import { withCancellableProgress } from '../ui/progress';
import type { InputOptions, Prompter } from '../ui/prompter';
import type { Services } from '../ui/services';
import type { RelatedKeyNode } from '../ui/treeNodes';
import { UserFacingError } from '../ui/userError';
import { runWizard, type WizardStep } from '../ui/wizard';
import { revealKey } from './createKey';

const REPLICATE = 'KMS: Replicate Key';
const UPDATE_PRIMARY = 'KMS: Update Primary Region';

const isPrimary = (k: CatalogKey) => multiRegionPlace(k)?.role === 'primary';

/** The multi-Region primary key a command acts on (a replica is refused, naming its primary's Region). */
async function primaryTarget(services: Services, target: unknown, id: string, title: string, verb: string) {
  const t = await resolveKeyTarget(services, target, { id, title, verb, changes: true, accept: isPrimary });
  if (!t) return undefined;
  const place = multiRegionPlace(t.key);
  if (!place)
    throw new UserFacingError(
      `${keyLabel(t.key)} is a single-Region key: only a multi-Region key (Create Key → Multi-Region) can be replicated.`,
      { level: 'warning' },
    );
  if (place.role === 'replica')
    throw new UserFacingError(
      `${keyLabel(t.key)} is a replica: run this on its primary key in ${place.primaryRegion ?? 'its primary Region'}.`,
      { level: 'warning' },
    );
  return { t, place };
}

export async function replicateKey(services: Services, target?: unknown): Promise<void> {
  const found = await primaryTarget(services, target, 'replicateKey.key', REPLICATE, 'replicate');
  if (!found) return;
  const { t, place } = found;
  const kms = await loadKms();
  const home = t.active.connection.region;
  const taken = new Set([home, ...place.replicaRegions]);
  const free = kms.regions.partitionRegions(home).filter((r) => !taken.has(r.region));
  const p = services.prompter;
  type State = { regions?: string[]; description: string; tagsText: string; policy?: 'default' | 'primary' };
  const answers = await runWizard<State>({ description: '', tagsText: '' }, [
    {
      async run(s, at) {
        s.regions = await p.pickMany(
          free.map((r) => ({
            label: r.region,
            description: r.description,
            picked: s.regions?.includes(r.region),
            value: r.region,
          })),
          {
            id: 'replicateKey.regions',
            title: `${REPLICATE}: ${keyLabel(t.key)}`,
            placeholder: 'Regions to replicate into (those already holding a replica are not listed)',
            matchOnDescription: true,
            ...at,
          },
        );
        return !!s.regions && s.regions.length > 0;
      },
    },
    textStep<State>(p, 'description', {
      id: 'replicateKey.description',
      title: `${REPLICATE}: description`,
      prompt: "Optional. The replica's own description (it does not take the primary's).",
      validateInput: kms.createKey.descriptionProblem,
    }),
    textStep<State>(p, 'tagsText', {
      id: 'replicateKey.tags',
      title: `${REPLICATE}: tags`,
      prompt: "Optional. The replica's own tags: key=value pairs separated by commas, e.g. team=payments",
      validateInput: (v) => {
        const parsed = kms.tags.parseTagList(v);
        return 'problem' in parsed ? parsed.problem : undefined;
      },
    }),
    {
      async run(s, at) {
        s.policy = await p.pick(
          [
            {
              label: 'Default key policy',
              detail: "The account's root may use the key through IAM policies (what KMS gives a replica by default).",
              value: 'default' as const,
            },
            {
              label: "The primary key's policy",
              detail: 'A copy of the key policy the primary has now; later changes are not shared.',
              value: 'primary' as const,
            },
          ],
          { id: 'replicateKey.policy', title: `${REPLICATE}: key policy`, ...at },
        );
        return !!s.policy;
      },
    },
  ]);
  if (!answers?.regions?.length || !answers.policy) return;
  const tags = kms.tags.parseTagList(answers.tagsText);
  const problem =
    kms.createKey.descriptionProblem(answers.description) ?? ('problem' in tags ? tags.problem : undefined);
  if (problem || 'problem' in tags)
    throw new UserFacingError(`${problem ?? ''} No replica was made.`, { level: 'warning' });
  const policy =
    answers.policy === 'primary' ? await kms.keyPolicy.getKeyPolicy(t.active.connection.client, t.key.arn) : undefined;
  const regions = answers.regions;
  await withCancellableProgress(`Replicating ${keyLabel(t.key)}…`, async (signal, progress) => {
    for (const region of regions) {
      progress.report({ message: region });
      await kms.multiRegion.replicateKey(
        t.active.connection.client,
        t.key.arn,
        region,
        { description: answers.description, tags: tags.tags, policy },
        signal,
      );
      services.log.info(`Replicated key ${t.key.keyId} into ${region}.`);
    }
  });
  await afterRegionsChange(services, t, regions);
  void p.message(
    'info',
    `Replicated ${keyLabel(t.key)} into ${regions.join(', ')}. Each replica is Creating for a moment, then Enabled.`,
  );
}

export async function updatePrimaryRegion(services: Services, target?: unknown): Promise<void> {
  const found = await primaryTarget(services, target, 'updatePrimaryRegion.key', UPDATE_PRIMARY, 'move the primary of');
  if (!found) return;
  const { t, place } = found;
  if (place.replicaRegions.length === 0)
    throw new UserFacingError(`${keyLabel(t.key)} has no replica yet: replicate it first (KMS: Replicate Key…).`, {
      level: 'warning',
    });
  const region = await services.prompter.pick(
    place.replicaRegions.map((r) => ({ label: r, description: 'replica', value: r })),
    {
      id: 'updatePrimaryRegion.region',
      title: `${UPDATE_PRIMARY}: ${keyLabel(t.key)}`,
      placeholder: `The replica to make the primary (the key in ${t.active.connection.region} becomes a replica)`,
    },
  );
  if (!region) return;
  const { multiRegion } = await loadKms();
  await withCancellableProgress(`Making ${region} the primary Region of ${keyLabel(t.key)}…`, (signal) =>
    multiRegion.updatePrimaryRegion(t.active.connection.client, t.key.arn, region, signal),
  );
  services.log.info(`Primary Region of key ${t.key.keyId}: ${t.active.connection.region} → ${region}.`);
  await afterRegionsChange(services, t, place.replicaRegions);
  void services.prompter.message(
    'info',
    `${region} now holds the primary key of ${keyLabel(t.key)}; the key in ${t.active.connection.region} is a replica. Both are Updating for a moment.`,
  );
}

/** Shows a related key in its Region: the Region is added to those shown when it is not, then the key is revealed. */
export async function showRelatedKey(services: Services, target?: unknown): Promise<void> {
  const node = target as RelatedKeyNode | undefined;
  if (node?.kind !== 'relatedKey') return;
  const shown = await services.connections.shownRegions();
  if (!shown.includes(node.region)) {
    await services.connections.setShownRegions([...shown, node.region]);
    services.keysTree.refresh();
    services.aliasesTree.refresh();
  }
  await revealKey(services, node.arn);
}

/** A wizard step that asks for one optional text field of the state (kept when going Back). */
function textStep<S>(
  p: Prompter,
  field: { [K in keyof S]: S[K] extends string ? K : never }[keyof S],
  options: Omit<InputOptions, 'value'>,
): WizardStep<S> {
  return {
    async run(s, at) {
      const text = await p.input({ ...options, value: s[field] as string, ...at });
      if (text === undefined) return false;
      (s[field] as string) = text;
      return true;
    },
  };
}

/** A multi-Region primary key with replicas: deleting it waits for them (PendingReplicaDeletion). */
export function primaryWithReplicas(key: CatalogKey): boolean {
  const place = multiRegionPlace(key);
  return place?.role === 'primary' && place.replicaRegions.length > 0;
}

/** What deleting a multi-Region key means for its related keys (for the deletion prompt); empty for others. */
export function deletionReplicaRule(key: CatalogKey): string {
  const place = multiRegionPlace(key);
  if (!place) return '';
  if (place.role === 'replica')
    return ` This is a replica: the primary key in ${place.primaryRegion ?? 'its Region'} and the other replicas keep the key material.`;
  if (!primaryWithReplicas(key)) return '';
  return ` This multi-Region primary key has replicas (${place.replicaRegions.join(', ')}): it becomes Pending replica deletion, and its own waiting period starts only when its last replica is deleted.`;
}

/** The key and its related keys in `regions` changed: each Region's catalog forgets them and the view re-renders. */
async function afterRegionsChange(services: Services, t: KeyTarget, regions: readonly string[]): Promise<void> {
  for (const region of regions) (await services.connections.forRegion(region)).catalog.invalidate();
  await afterKeyChange(services, t);
  services.keysTree.refresh();
}
