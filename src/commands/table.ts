// The command table: every command id with its handler, registered in one place through the one
// error-handling wrapper (run.ts). Issue 4 adds rows here.
import * as vscode from 'vscode';
import { decryptSelection, encryptSelection } from '../editor/selectionCommands';
import { selectConnection, useSandbox } from './connection';
import { CommandIds } from './ids';
import { enableKey, refresh } from './keys';
import { runCommand, type CommandSpec } from './run';
import type { Services } from './services';
import { openGettingStarted, openSampleFile } from '../walkthrough/register';

export const COMMAND_TABLE: readonly CommandSpec[] = [
  { id: CommandIds.refresh, title: 'Refresh', run: refresh },
  { id: CommandIds.selectConnection, title: 'Select connection', run: selectConnection },
  { id: CommandIds.useSandbox, title: 'Use the local sandbox', run: useSandbox },
  { id: CommandIds.encryptSelection, title: 'Encrypt selection', run: encryptSelection },
  { id: CommandIds.decryptSelection, title: 'Decrypt selection', run: decryptSelection },
  { id: CommandIds.enableKey, title: 'Enable key', run: (s, target) => enableKey(s, target) },
  { id: CommandIds.showLog, title: 'Show log', run: (s) => s.log.show() },
  { id: CommandIds.openGettingStarted, title: 'Open getting started', run: openGettingStarted },
  { id: CommandIds.openSampleFile, title: 'Open sample file', run: () => openSampleFile() },
];

export function registerCommands(services: Services): vscode.Disposable[] {
  return COMMAND_TABLE.map((spec) => vscode.commands.registerCommand(spec.id, (...args: unknown[]) => runCommand(services, spec, args)));
}
