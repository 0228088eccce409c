// The command table: every command id with its handler, registered in one place through the error wrapper (ui/run.ts).
import * as vscode from 'vscode';
import { decryptCiphertextAt } from './editor/ciphertextLens';
import { decryptFileCommand, encryptFileCommand } from './editor/fileCommands';
import { saveKeyPolicy } from './editor/keyPolicyFs';
import { decryptSelection, encryptSelection, encryptSelectionWithContext } from './editor/selectionCommands';
import { selectConnection, useSandbox } from './commands/connection';
import { CommandIds } from './ui/commandIds';
import { enableKey, refresh } from './commands/keys';
import { addAlias, deleteAlias, retargetAlias } from './commands/aliases';
import { showRegions } from './commands/regions';
import { clearKeysFilter, filterKeys, hideAwsManagedKeys, showAwsManagedKeys } from './commands/filter';
import {
  copyKeyArn,
  copyKeyId,
  disableKey,
  downloadPublicKey,
  editKeyDescription,
  showKeyDetails,
} from './commands/keyActions';
import { runCommand, type CommandHandler, type CommandSpec } from './ui/run';
import { addTag, editTag, removeTag } from './commands/tags';
import { openKeyPolicy } from './commands/keyPolicy';
import { disableKeyRotation, enableKeyRotation, rotateKeyNow } from './commands/rotation';
import { openSandboxTerminal } from './commands/sandboxTerminal';
import {
  generateDataKey,
  generateMacForSelection,
  signSelection,
  verifyMacForSelection,
  verifySelection,
} from './editor/textCrypto';
import type { Services } from './ui/services';
import {
  clearUsageFilters,
  filterUsageByOperation,
  filterUsageByPrincipal,
  loadMoreKeyUsage,
  openUsageEvent,
  refreshKeyUsage,
  showKeyUsage,
  showUsageAllOutcomes,
  showUsageErrorsOnly,
} from './commands/keyUsage';
import { openGettingStarted, openSampleFile } from './walkthrough/register';

/** A handler of the lazy chunk dist/lazy/commands.js (commands/deferred.ts), loaded on its first run. */
function deferred(name: keyof typeof import('./commands/deferred')): CommandHandler {
  return async (services, ...args) => {
    const handler = (await import('./commands/deferred'))[name] as CommandHandler;
    return handler(services, ...args);
  };
}

export const COMMAND_TABLE: readonly CommandSpec[] = [
  { id: CommandIds.refresh, title: 'Refresh', run: refresh },
  { id: CommandIds.selectConnection, title: 'Select connection', run: selectConnection },
  { id: CommandIds.useSandbox, title: 'Use the local sandbox', run: useSandbox },
  { id: CommandIds.encryptSelection, title: 'Encrypt selection', run: encryptSelection },
  { id: CommandIds.decryptSelection, title: 'Decrypt selection', run: decryptSelection },
  {
    id: CommandIds.encryptSelectionWithContext,
    title: 'Encrypt selection with context',
    run: encryptSelectionWithContext,
  },
  { id: CommandIds.encryptFile, title: 'Encrypt file', run: encryptFileCommand },
  { id: CommandIds.decryptFile, title: 'Decrypt file', run: decryptFileCommand },
  { id: CommandIds.decryptCiphertextAt, title: 'Decrypt', run: decryptCiphertextAt },
  { id: CommandIds.enableKey, title: 'Enable key', run: (s, target) => enableKey(s, target) },
  { id: CommandIds.showLog, title: 'Show log', run: (s) => s.log.show() },
  { id: CommandIds.openGettingStarted, title: 'Open getting started', run: openGettingStarted },
  { id: CommandIds.openSampleFile, title: 'Open sample file', run: () => openSampleFile() },
  { id: CommandIds.createKey, title: 'Create key', run: deferred('createKey') },
  { id: CommandIds.disableKey, title: 'Disable key', run: disableKey },
  { id: CommandIds.editKeyDescription, title: 'Edit key description', run: editKeyDescription },
  { id: CommandIds.copyKeyId, title: 'Copy key id', run: copyKeyId },
  { id: CommandIds.copyKeyArn, title: 'Copy key ARN', run: copyKeyArn },
  { id: CommandIds.downloadPublicKey, title: 'Download public key', run: downloadPublicKey },
  { id: CommandIds.showKeyDetails, title: 'Show key details', run: showKeyDetails },
  { id: CommandIds.filterKeys, title: 'Filter keys', run: filterKeys },
  { id: CommandIds.clearKeysFilter, title: 'Clear filter', run: (s) => clearKeysFilter(s) },
  { id: CommandIds.showAwsManagedKeys, title: 'Show AWS managed keys', run: (s) => showAwsManagedKeys(s) },
  { id: CommandIds.hideAwsManagedKeys, title: 'Hide AWS managed keys', run: (s) => hideAwsManagedKeys(s) },
  { id: CommandIds.addAlias, title: 'Add alias', run: addAlias },
  { id: CommandIds.retargetAlias, title: 'Retarget alias', run: retargetAlias },
  { id: CommandIds.deleteAlias, title: 'Delete alias', run: deleteAlias },
  { id: CommandIds.addTag, title: 'Add tag', run: addTag },
  { id: CommandIds.editTag, title: 'Edit tag', run: editTag },
  { id: CommandIds.removeTag, title: 'Remove tag', run: removeTag },
  { id: CommandIds.createGrant, title: 'Create grant', run: deferred('createGrant') },
  { id: CommandIds.revokeGrant, title: 'Revoke grant', run: deferred('revokeGrant') },
  { id: CommandIds.retireGrant, title: 'Retire grant', run: deferred('retireGrant') },
  { id: CommandIds.retireGrantByToken, title: 'Retire grant', run: deferred('retireGrantByToken') },
  { id: CommandIds.openKeyPolicy, title: 'Open key policy', run: openKeyPolicy },
  { id: CommandIds.saveKeyPolicy, title: 'Save key policy', run: saveKeyPolicy },
  { id: CommandIds.enableKeyRotation, title: 'Enable key rotation', run: enableKeyRotation },
  { id: CommandIds.disableKeyRotation, title: 'Disable key rotation', run: disableKeyRotation },
  { id: CommandIds.rotateKeyNow, title: 'Rotate key', run: rotateKeyNow },
  { id: CommandIds.scheduleKeyDeletion, title: 'Schedule key deletion', run: deferred('scheduleKeyDeletion') },
  { id: CommandIds.cancelKeyDeletion, title: 'Cancel key deletion', run: deferred('cancelKeyDeletion') },
  { id: CommandIds.importKeyMaterial, title: 'Import key material', run: deferred('importKeyMaterial') },
  {
    id: CommandIds.deleteImportedKeyMaterial,
    title: 'Delete imported key material',
    run: deferred('deleteImportedKeyMaterial'),
  },
  { id: CommandIds.signSelection, title: 'Sign selection', run: (s) => signSelection(s) },
  { id: CommandIds.verifySelection, title: 'Verify selection', run: (s) => verifySelection(s) },
  { id: CommandIds.generateMac, title: 'Generate MAC', run: (s) => generateMacForSelection(s) },
  { id: CommandIds.verifyMac, title: 'Verify MAC', run: (s) => verifyMacForSelection(s) },
  { id: CommandIds.generateDataKey, title: 'Generate data key', run: (s) => generateDataKey(s) },
  { id: CommandIds.openSandboxTerminal, title: 'Open sandbox terminal', run: (s) => openSandboxTerminal(s) },
  { id: CommandIds.showKeyUsage, title: 'Show key usage', run: showKeyUsage },
  { id: CommandIds.filterUsageByOperation, title: 'Filter key usage', run: (s) => filterUsageByOperation(s) },
  { id: CommandIds.filterUsageByPrincipal, title: 'Filter key usage', run: (s) => filterUsageByPrincipal(s) },
  { id: CommandIds.showUsageErrorsOnly, title: 'Filter key usage', run: (s) => showUsageErrorsOnly(s) },
  { id: CommandIds.showUsageAllOutcomes, title: 'Filter key usage', run: (s) => showUsageAllOutcomes(s) },
  { id: CommandIds.clearUsageFilters, title: 'Filter key usage', run: (s) => clearUsageFilters(s) },
  { id: CommandIds.refreshKeyUsage, title: 'Refresh key usage', run: (s) => refreshKeyUsage(s) },
  { id: CommandIds.loadMoreKeyUsage, title: 'Load more key usage', run: (s) => loadMoreKeyUsage(s) },
  { id: CommandIds.openUsageEvent, title: 'Open usage event', run: openUsageEvent },
  { id: CommandIds.checkAccess, title: 'Check access', run: deferred('checkAccess') },
  { id: CommandIds.revealAccessSource, title: 'Show statement or grant', run: deferred('revealAccessSource') },
  { id: CommandIds.refreshPrincipals, title: 'Refresh principals', run: deferred('refreshPrincipals') },
  { id: CommandIds.createRole, title: 'Create role', run: deferred('createRole') },
  { id: CommandIds.createUser, title: 'Create user', run: deferred('createUser') },
  { id: CommandIds.editPrincipalPolicy, title: 'Edit inline policy', run: deferred('editPrincipalPolicy') },
  { id: CommandIds.deletePrincipal, title: 'Delete principal', run: deferred('deletePrincipal') },
  { id: CommandIds.actAsPrincipal, title: 'Connect as principal', run: deferred('actAsPrincipal') },
  {
    id: CommandIds.openSandboxTerminalAs,
    title: 'Open sandbox terminal as a principal',
    run: deferred('openSandboxTerminalAs'),
  },
  { id: CommandIds.showRegions, title: 'Show Regions', run: (s) => showRegions(s) },
  { id: CommandIds.showRelatedKey, title: 'Show related key', run: deferred('showRelatedKey') },
  { id: CommandIds.replicateKey, title: 'Replicate key', run: deferred('replicateKey') },
  { id: CommandIds.updatePrimaryRegion, title: 'Update primary Region', run: deferred('updatePrimaryRegion') },
];

export function registerCommands(services: Services): vscode.Disposable[] {
  return COMMAND_TABLE.map((spec) =>
    vscode.commands.registerCommand(spec.id, (...args: unknown[]) => runCommand(services, spec, args)),
  );
}
