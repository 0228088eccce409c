// Scheduling and cancelling key deletion: ScheduleKeyDeletion with a waiting period of 7–30 days
// (it returns the deletion date), CancelKeyDeletion (the key comes back Disabled), and the check the
// confirmation runs: the user types the key's alias or key id and the waiting period, in one answer.
import { wholeDaysProblem } from './days';
import { CancelKeyDeletionCommand, ScheduleKeyDeletionCommand, type KMSClient } from '@aws-sdk/client-kms';

export const MIN_PENDING_DAYS = 7;
export const MAX_PENDING_DAYS = 30;
export const DEFAULT_PENDING_DAYS = 30;

/** Why the text is not a waiting period, or undefined. */
export function pendingWindowProblem(text: string): string | undefined {
  return wholeDaysProblem(text, MIN_PENDING_DAYS, MAX_PENDING_DAYS, 'waiting period');
}

/** True when `typed` names the key: its key id, key ARN or one of its aliases (with or without "alias/"). */
export function confirmsKey(typed: string, key: { keyId: string; arn: string; aliases: readonly string[] }): boolean {
  const t = typed.trim();
  if (!t) return false;
  return t === key.keyId || t === key.arn || key.aliases.some((a) => a === t || a === `alias/${t}`);
}

/**
 * The one typed confirmation of Schedule Key Deletion: the key's name (see confirmsKey), then the waiting
 * period in days — "alias/app 30". The days, or what is wrong with the answer.
 */
export function parseDeletionConfirmation(
  typed: string,
  key: { keyId: string; arn: string; aliases: readonly string[] },
): { days: number } | { problem: string } {
  const name = key.aliases[0] ?? key.keyId;
  const parts = typed.trim().split(/\s+/);
  if (parts.length !== 2 || parts[0] === '')
    return { problem: `Type ${name} and the waiting period in days, e.g. "${name} ${DEFAULT_PENDING_DAYS}".` };
  if (!confirmsKey(parts[0], key)) return { problem: `"${parts[0]}" is not ${name}.` };
  const problem = pendingWindowProblem(parts[1]);
  return problem ? { problem } : { days: Number(parts[1]) };
}

export interface ScheduledDeletion {
  deletionDate?: Date;
  pendingWindowInDays?: number;
}

export async function scheduleKeyDeletion(
  client: KMSClient,
  keyId: string,
  pendingWindowInDays: number,
  signal?: AbortSignal,
): Promise<ScheduledDeletion> {
  const out = await client.send(
    new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: pendingWindowInDays }),
    { abortSignal: signal },
  );
  return { deletionDate: out.DeletionDate, pendingWindowInDays: out.PendingWindowInDays };
}

export async function cancelKeyDeletion(client: KMSClient, keyId: string, signal?: AbortSignal): Promise<void> {
  await client.send(new CancelKeyDeletionCommand({ KeyId: keyId }), { abortSignal: signal });
}
