// The policy-change preview of a key policy save: before PutKeyPolicy, a modal lists what changes for whom ("role/App
// loses kms:Decrypt; * (anyone) gains kms:Encrypt — public access"), computed by src/policy/access.ts from the policy
// KMS has and the text being saved. Nothing is asked when no permission changes, or when the text is not a policy
// the evaluator reads (KMS then gives its own answer). Declining throws: the document stays dirty, nothing is sent.
import { loadKms } from '../kms/load';
import type { Policy } from '../policy/document';
import type { Services } from '../ui/services';
import { UserFacingError } from '../ui/userError';

function readable(parse: (text: string) => Policy, text: string): Policy | undefined {
  try {
    return parse(text);
  } catch (err) {
    // The evaluator lives in the lazy chunk: its PolicyError is known by name here.
    if ((err as Error | undefined)?.name === 'PolicyError') return undefined;
    throw err;
  }
}

/** Asks before a key policy change that changes anyone's access; throws (nothing saved) when the user declines. */
export async function confirmAccessChange(
  services: Services,
  current: string,
  next: string,
  keyArn: string,
  label: string,
): Promise<void> {
  const { changeLines, diffAccess, parsePolicy } = (await loadKms()).policy;
  const parse = (text: string) => parsePolicy(text, { kind: 'resource' });
  const before = readable(parse, current);
  const after = readable(parse, next);
  if (!before || !after) return;
  const account = /^arn:aws[a-z-]*:kms:[^:]*:(\d{12}):/.exec(keyArn)?.[1] ?? '';
  const changes = diffAccess(before, after, account);
  if (changes.length === 0) return;
  const callouts = [...new Set(changes.flatMap((c) => (c.callout ? [c.callout] : [])))];
  const message = `Saving the key policy of ${label} changes who may use it${
    callouts.length ? ` — ${callouts.join('; ')}` : ''
  }.`;
  const save = await services.prompter.confirm(message, {
    id: 'keyPolicy.accessChange',
    detail: changeLines(changes).join('\n'),
    confirmLabel: 'Save Key Policy',
  });
  if (!save)
    throw new UserFacingError(`Not saved: the key policy of ${label} is unchanged. Your text is kept.`, {
      level: 'warning',
    });
  services.log.info(`Key policy of ${label}: access change confirmed (${changes.length} principal(s)).`);
}
