// The walkthrough's progress and what it allows: run one step, run the remaining ones in order
// (stopping at the first failure), schedule or cancel the deletion, start over; what the page is
// shown; and what is saved (never plaintext or secrets: those stay in the in-memory vault, for
// Reveal, until the panel closes). No vscode: the panel adapter persists and posts.
import type { KMSClient } from '@aws-sdk/client-kms';
import { STEP_IDS, type StepId } from './catalog';
import { defaultInputs } from './inputs';
import type { Secret } from './masking';
import type { DeletionView, ScenarioKey, StepInputs, StepView, ViewState } from './messages';
import { cancelDeletion, runStep, scheduleDeletion, type GranteeAccess, type StepOutcome } from './steps';

export const PROGRESS_VERSION = 1;

export interface Progress {
  version: typeof PROGRESS_VERSION;
  /** When "Start over" last happened: seeds the default alias. */
  startedAt: string;
  connectionLabel?: string;
  key?: ScenarioKey;
  steps: Record<StepId, StepView>;
  deletion: DeletionView;
}

export function freshProgress(now = new Date()): Progress {
  const pending = (): StepView => ({ status: 'pending', calls: [], summary: [] });
  const steps = Object.fromEntries(STEP_IDS.map((id) => [id, pending()])) as Record<StepId, StepView>;
  return {
    version: PROGRESS_VERSION,
    startedAt: now.toISOString(),
    steps,
    deletion: { status: 'none', calls: [], summary: [] },
  };
}

/** Reads saved progress; anything unexpected (older version, hand-edited, corrupt) starts fresh. */
export function loadProgress(saved: unknown): Progress {
  if (typeof saved !== 'object' || saved === null) return freshProgress();
  const p = saved as Partial<Progress>;
  if (
    p.version !== PROGRESS_VERSION ||
    typeof p.startedAt !== 'string' ||
    typeof p.steps !== 'object' ||
    p.steps === null
  )
    return freshProgress();
  const fresh = freshProgress(new Date(p.startedAt));
  for (const id of STEP_IDS) {
    const s = (p.steps as Record<string, StepView | undefined>)[id];
    if (s === undefined && id === 'keyUsage') continue; // saved before this step existed: pending
    if (
      !s ||
      !['pending', 'running', 'done', 'failed'].includes(s.status) ||
      !Array.isArray(s.calls) ||
      !Array.isArray(s.summary)
    )
      return freshProgress();
    // A step that was running when the window closed did not finish: it can be run again.
    fresh.steps[id] = s.status === 'running' ? { ...s, status: 'pending' } : s;
  }
  const key = p.key;
  if (
    key !== undefined &&
    (typeof key !== 'object' || key === null || typeof key.keyId !== 'string' || typeof key.keyArn !== 'string')
  )
    return freshProgress();
  fresh.key = key;
  fresh.connectionLabel = typeof p.connectionLabel === 'string' ? p.connectionLabel : undefined;
  const d = p.deletion;
  if (d && typeof d === 'object' && Array.isArray(d.calls) && Array.isArray(d.summary))
    fresh.deletion = d.status === 'running' ? { ...d, status: 'none' } : d;
  return fresh;
}

/** Masked values by id, newest kept; memory only. */
export class SecretVault {
  private readonly values = new Map<string, string>();
  constructor(private readonly capacity = 500) {}
  add(secrets: Secret[]): void {
    for (const s of secrets) {
      this.values.set(s.id, s.value);
      if (this.values.size > this.capacity) this.values.delete(this.values.keys().next().value as string);
    }
  }
  get(id: string): string | undefined {
    return this.values.get(id);
  }
  clear(): void {
    this.values.clear();
  }
}

export class Scenario {
  private busy = false;
  readonly vault = new SecretVault();

  constructor(
    private progress: Progress,
    /** Called after every change, to save the progress and redraw the page. */
    private readonly changed: (progress: Progress) => void,
  ) {}

  get isBusy(): boolean {
    return this.busy;
  }

  get saved(): Progress {
    return this.progress;
  }

  view(connectionLabel: string): ViewState {
    const p = this.progress;
    return {
      connectionLabel,
      progressConnectionLabel:
        p.key && p.connectionLabel && p.connectionLabel !== connectionLabel ? p.connectionLabel : undefined,
      busy: this.busy,
      key: p.key,
      defaults: defaultInputs(new Date(p.startedAt), p.key),
      steps: p.steps,
      deletion: p.deletion,
    };
  }

  /** Runs one step. Refused (returns undefined) while another action runs. */
  async run<K extends StepId>(
    step: K,
    inputs: StepInputs[K],
    client: KMSClient,
    connectionLabel: string,
    grantee?: GranteeAccess,
  ): Promise<StepOutcome | undefined> {
    if (this.busy) return undefined;
    this.busy = true;
    try {
      return await this.runOne(step, inputs, client, connectionLabel, grantee);
    } finally {
      this.busy = false;
      this.changed(this.progress);
    }
  }

  /** Runs every step not yet done, in order; stops at the first failure. Returns the steps that ran. */
  async runAll(
    inputs: StepInputs,
    client: KMSClient,
    connectionLabel: string,
    afterEach?: () => void,
    grantee?: GranteeAccess,
  ): Promise<StepId[] | undefined> {
    if (this.busy) return undefined;
    this.busy = true;
    const ran: StepId[] = [];
    try {
      for (const id of STEP_IDS) {
        if (this.progress.steps[id].status === 'done') continue;
        ran.push(id);
        const outcome = await this.runOne(id, inputs[id], client, connectionLabel, grantee);
        afterEach?.();
        if (!outcome.ok) break;
      }
      return ran;
    } finally {
      this.busy = false;
      this.changed(this.progress);
    }
  }

  async schedule(pendingWindowInDays: number, client: KMSClient): Promise<StepOutcome | undefined> {
    return this.deletionAction((env) => scheduleDeletion(pendingWindowInDays, env), client);
  }

  async cancel(client: KMSClient): Promise<StepOutcome | undefined> {
    return this.deletionAction((env) => cancelDeletion(env), client);
  }

  reveal(secretId: string): string | null {
    return this.vault.get(secretId) ?? null;
  }

  /** Forgets the progress (the key itself stays in the account). Refused while an action runs. */
  startOver(): boolean {
    if (this.busy) return false;
    this.progress = freshProgress();
    this.vault.clear();
    this.changed(this.progress);
    return true;
  }

  private async runOne<K extends StepId>(
    step: K,
    inputs: StepInputs[K],
    client: KMSClient,
    connectionLabel: string,
    grantee?: GranteeAccess,
  ): Promise<StepOutcome> {
    const p = this.progress;
    p.steps[step] = { ...p.steps[step], status: 'running', error: undefined };
    this.changed(p);
    const outcome = await runStep(step, inputs, { client, key: p.key, grantee });
    this.vault.add(outcome.secrets);
    if (outcome.key && outcome.key !== p.key) {
      p.key = outcome.key;
      p.connectionLabel = connectionLabel;
    }
    p.steps[step] = {
      status: outcome.ok ? 'done' : 'failed',
      calls: outcome.calls,
      summary: outcome.summary,
      error: outcome.error,
      updatedAt: new Date().toISOString(),
    };
    return outcome;
  }

  private async deletionAction(
    action: (env: { client: KMSClient; key?: ScenarioKey }) => Promise<StepOutcome>,
    client: KMSClient,
  ) {
    if (this.busy) return undefined;
    this.busy = true;
    const p = this.progress;
    const previous = p.deletion;
    p.deletion = { ...previous, status: 'running', error: undefined };
    this.changed(p);
    try {
      const outcome = await action({ client, key: p.key });
      this.vault.add(outcome.secrets);
      if (outcome.ok) {
        const scheduled = typeof outcome.deletionDate === 'string';
        p.deletion = {
          status: scheduled ? 'scheduled' : 'cancelled',
          deletionDate: scheduled ? (outcome.deletionDate as string) : undefined,
          calls: outcome.calls,
          summary: outcome.summary,
        };
      } else {
        // A failed action leaves the key as it was: keep the previous status so the right button stays offered.
        p.deletion = {
          ...previous,
          status: previous.status === 'scheduled' ? 'scheduled' : 'failed',
          calls: outcome.calls,
          summary: outcome.summary,
          error: outcome.error,
        };
      }
      return outcome;
    } finally {
      this.busy = false;
      this.changed(p);
    }
  }
}
