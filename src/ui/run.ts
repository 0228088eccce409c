// The one wrapper every command handler runs in: catches everything, logs it to the "KMS Explorer"
// LogOutputChannel (exception name and explanation only — never payloads, plaintext or credentials),
// shows a specific message with the explained KMS error — the reason first, so a collapsed notification
// still shows it; the key it names by its alias when one is known — and offers its action as a button
// (for an AccessDeniedException "Check Access…", prefilled with the caller, the operation and the key).
import * as vscode from 'vscode';
import { explainKmsError, formatExplained, type ExplainedError } from '../kms/errors';
import { principalOfCaller } from '../kms/principalRef';
import type { CheckAccessPrefill } from './checkAccess';
import { CommandIds } from './commandIds';
import type { Services } from './services';
import { UserFacingError } from './userError';

export type CommandHandler = (services: Services, ...args: unknown[]) => unknown;

export interface CommandSpec {
  id: string;
  /** Words for the log ("Encrypt selection failed: …") and, after an unexplained reason, for messages. */
  title: string;
  run: CommandHandler;
}

export async function runCommand(services: Services, spec: CommandSpec, args: unknown[]): Promise<unknown> {
  try {
    return await spec.run(services, ...args);
  } catch (err) {
    await reportError(services, spec.title, err, () => runCommand(services, spec, args));
    return undefined;
  }
}

/** Logs and shows an error; `retry` re-runs the failed work when the user asks. */
export async function reportError(
  services: Services,
  what: string,
  err: unknown,
  retry?: () => unknown,
): Promise<void> {
  const userError = err instanceof UserFacingError ? err : undefined;
  const explained: ExplainedError = userError?.options.explained ?? explainKmsError(err);
  if (explained.cancelled && !userError) {
    services.log.info(`${what}: cancelled.`);
    return;
  }
  const text = await nameKey(services, userError ? userError.message : formatExplained(explained), explained.keyArn);
  services.log.error(`${what} failed: ${userError ? text : `${explained.code}: ${text}`}`);
  // A bug of ours (not a KMS/SDK/credential error) is worth its stack in the log; never in the UI.
  if (!userError && !explained.action && err instanceof Error && !('$metadata' in err) && err.stack)
    services.log.debug(err.stack);
  const keyId = userError?.options.keyId ?? explained.keyArn;
  const action = actionFor(services, explained, keyId, retry);
  const level = userError?.options.level ?? 'error';
  // A UserFacingError says what failed in its own words; an explained KMS error gets the command after it.
  const chosen = await services.prompter.message(
    level,
    userError ? text : `${text} (${what})`,
    ...(action ? [action.label] : []),
  );
  if (action && chosen === action.label) await action.run();
}

interface OfferedAction {
  label: string;
  run: () => unknown;
}

function actionFor(
  services: Services,
  explained: ExplainedError,
  keyId: string | undefined,
  retry: (() => unknown) | undefined,
): OfferedAction | undefined {
  switch (explained.action) {
    case 'enableKey':
      return keyId
        ? { label: 'Enable key', run: () => vscode.commands.executeCommand(CommandIds.enableKey, keyId) }
        : undefined;
    case 'cancelKeyDeletion':
      return keyId
        ? {
            label: 'Cancel key deletion',
            run: () => vscode.commands.executeCommand(CommandIds.cancelKeyDeletion, keyId),
          }
        : undefined;
    case 'selectConnection':
      return { label: 'Select connection', run: () => vscode.commands.executeCommand(CommandIds.selectConnection) };
    case 'openSettings':
      return {
        label: 'Open settings',
        run: () => vscode.commands.executeCommand('workbench.action.openSettings', 'kmsExplorer'),
      };
    case 'refresh':
      return { label: 'Refresh', run: () => vscode.commands.executeCommand(CommandIds.refresh) };
    case 'retry':
      return retry ? { label: 'Try again', run: retry } : undefined;
    case 'checkAccess':
      return {
        label: 'Check Access…',
        run: async () => checkAccess(services, await deniedPrefill(services, explained)),
      };
    default:
      return undefined;
  }
}

/** "The key 1234abcd-… is disabled." → "The key alias/app is disabled." when the connected account's aliases name it. */
async function nameKey(services: Services, text: string, keyArn: string | undefined): Promise<string> {
  const keyId = keyArn?.slice(keyArn.lastIndexOf('/') + 1);
  const state = services.connections.state;
  if (!keyId || !text.includes(`The key ${keyId}`) || state.status !== 'connected') return text;
  const aliases = await state.catalog.aliases().catch(() => []);
  const alias = aliases
    .filter((a) => a.TargetKeyId === keyId && a.AliasName)
    .map((a) => a.AliasName as string)
    .sort()[0];
  return alias ? text.replaceAll(`The key ${keyId}`, `The key ${alias}`) : text;
}

/** Who was refused what on which key: from AWS's message, else the connection's caller identity. */
export async function deniedPrefill(services: Services, explained: ExplainedError): Promise<CheckAccessPrefill> {
  const denied = explained.denied;
  const state = services.connections.state;
  let callerArn = denied?.callerArn;
  if (!callerArn && state.status === 'connected')
    callerArn = await state.connection.identity().then(
      (id) => id.arn || undefined,
      () => undefined,
    );
  const keyId = explained.keyArn ?? (denied?.resource && denied.resource !== '*' ? denied.resource : undefined);
  return {
    principalArn: callerArn ? principalOfCaller(callerArn) : undefined,
    action: denied?.action,
    keyId,
    region: state.status === 'connected' ? state.connection.region : undefined,
  };
}

/** Runs "KMS: Check Access…" when it is there (it is another part of the extension's); says so otherwise. */
async function checkAccess(services: Services, prefill: CheckAccessPrefill): Promise<void> {
  const commands = await vscode.commands.getCommands(true);
  if (commands.includes(CommandIds.checkAccess)) {
    await vscode.commands.executeCommand(CommandIds.checkAccess, prefill);
    return;
  }
  await services.prompter.message(
    'info',
    `Check Access is not available in this build. Refused: ${prefill.action ?? 'the operation'} for ${prefill.principalArn ?? 'the caller'}${prefill.keyId ? ` on ${prefill.keyId}` : ''}.`,
  );
}
