// The one wrapper every command handler runs in: catches everything, logs it to the "KMS Explorer"
// LogOutputChannel (exception name and explanation only — never payloads, plaintext or credentials),
// shows a specific message with the explained KMS error, and offers its action as a button.
import * as vscode from 'vscode';
import { explainKmsError, formatExplained, type ExplainedError } from '../kms/errors';
import { CommandIds } from './commandIds';
import type { Services } from './services';
import { UserFacingError } from './userError';

export type CommandHandler = (services: Services, ...args: unknown[]) => unknown;

export interface CommandSpec {
  id: string;
  /** Words for messages: "Encrypt selection failed: …". */
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
export async function reportError(services: Services, what: string, err: unknown, retry?: () => unknown): Promise<void> {
  const userError = err instanceof UserFacingError ? err : undefined;
  const explained: ExplainedError = userError?.options.explained ?? explainKmsError(err);
  if (explained.cancelled && !userError) {
    services.log.info(`${what}: cancelled.`);
    return;
  }
  const text = userError ? userError.message : formatExplained(explained);
  services.log.error(`${what} failed: ${userError ? text : `${explained.code}: ${text}`}`);
  // A bug of ours (not a KMS/SDK/credential error) is worth its stack in the log; never in the UI.
  if (!userError && !explained.action && err instanceof Error && !('$metadata' in err) && err.stack) services.log.debug(err.stack);
  const keyId = userError?.options.keyId ?? findKeyArn(explained.detail);
  const action = actionFor(explained, keyId, retry);
  const level = userError?.options.level ?? 'error';
  const chosen = await services.prompter.message(level, `${what} failed: ${text}`, ...(action ? [action.label] : []));
  if (action && chosen === action.label) await action.run();
}

interface OfferedAction {
  label: string;
  run: () => unknown;
}

function actionFor(explained: ExplainedError, keyId: string | undefined, retry: (() => unknown) | undefined): OfferedAction | undefined {
  switch (explained.action) {
    case 'enableKey':
      return keyId ? { label: 'Enable key', run: () => vscode.commands.executeCommand(CommandIds.enableKey, keyId) } : undefined;
    case 'cancelKeyDeletion':
      return keyId ? { label: 'Cancel key deletion', run: () => vscode.commands.executeCommand(CommandIds.cancelKeyDeletion, keyId) } : undefined;
    case 'selectConnection':
      return { label: 'Select connection', run: () => vscode.commands.executeCommand(CommandIds.selectConnection) };
    case 'openSettings':
      return { label: 'Open settings', run: () => vscode.commands.executeCommand('workbench.action.openSettings', 'kmsExplorer') };
    case 'refresh':
      return { label: 'Refresh', run: () => vscode.commands.executeCommand(CommandIds.refresh) };
    case 'retry':
      return retry ? { label: 'Try again', run: retry } : undefined;
    default:
      return undefined;
  }
}

/** AWS names the key in messages such as "arn:aws:kms:…:key/… is disabled." */
function findKeyArn(text: string | undefined): string | undefined {
  return text?.match(/arn:aws[\w-]*:kms:[\w-]+:\d{12}:key\/[\w-]+/)?.[0];
}
