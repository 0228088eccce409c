// The command table: every command id with its handler, registered in one place through the error wrapper (ui/run.ts).
// Only the handlers that are one line stay in dist/extension.js; every other flow is in the lazy chunk
// dist/lazy/commands.js (deferredCommands.ts), loaded when the first of them runs, so activation compiles less.
import * as vscode from 'vscode';
import { saveKeyPolicy } from './editor/keyPolicyFs';
import { CommandIds } from './ui/commandIds';
import { enableKey, refresh } from './commands/keys';
import { clearKeysFilter, filterKeys, hideAwsManagedKeys, showAwsManagedKeys } from './commands/filter';
import { runCommand, type CommandHandler, type CommandSpec } from './ui/run';
import type { Services } from './ui/services';
import { openGettingStarted, openSampleFile } from './walkthrough/register';

/** A handler of the lazy chunk dist/lazy/commands.js (deferredCommands.ts), loaded on its first run. */
function deferred(name: keyof typeof import('./deferredCommands')): CommandHandler {
  return async (services, ...args) => {
    const handler: CommandHandler = (await import('./deferredCommands'))[name];
    return handler(services, ...args);
  };
}

/** A handler given only the services: the arguments a menu passes (its tree node, say) are not its input. */
const servicesOnly =
  (handler: CommandHandler): CommandHandler =>
  (services) =>
    handler(services);

export const COMMAND_TABLE: readonly CommandSpec[] = [
  { id: CommandIds.refresh, title: 'Refresh', run: refresh },
  { id: CommandIds.selectConnection, title: 'Select connection', run: deferred('selectConnection') },
  { id: CommandIds.useSandbox, title: 'Use the local sandbox', run: deferred('useSandbox') },
  { id: CommandIds.encryptSelection, title: 'Encrypt selection', run: deferred('encryptSelection') },
  { id: CommandIds.decryptSelection, title: 'Decrypt selection', run: deferred('decryptSelection') },
  {
    id: CommandIds.encryptSelectionWithContext,
    title: 'Encrypt selection with context',
    run: deferred('encryptSelectionWithContext'),
  },
  { id: CommandIds.encryptFile, title: 'Encrypt file', run: deferred('encryptFileCommand') },
  { id: CommandIds.decryptFile, title: 'Decrypt file', run: deferred('decryptFileCommand') },
  { id: CommandIds.decryptCiphertextAt, title: 'Decrypt', run: deferred('decryptCiphertextAt') },
  { id: CommandIds.enableKey, title: 'Enable key', run: (s, target) => enableKey(s, target) },
  { id: CommandIds.showLog, title: 'Show log', run: (s) => s.log.show() },
  { id: CommandIds.openGettingStarted, title: 'Open getting started', run: openGettingStarted },
  { id: CommandIds.openSampleFile, title: 'Open sample file', run: () => openSampleFile() },
  { id: CommandIds.createKey, title: 'Create key', run: deferred('createKey') },
  { id: CommandIds.disableKey, title: 'Disable key', run: deferred('disableKey') },
  { id: CommandIds.editKeyDescription, title: 'Edit key description', run: deferred('editKeyDescription') },
  { id: CommandIds.copyKeyId, title: 'Copy key id', run: deferred('copyKeyId') },
  { id: CommandIds.copyKeyArn, title: 'Copy key ARN', run: deferred('copyKeyArn') },
  { id: CommandIds.downloadPublicKey, title: 'Download public key', run: deferred('downloadPublicKey') },
  { id: CommandIds.showKeyDetails, title: 'Show key details', run: deferred('showKeyDetails') },
  { id: CommandIds.filterKeys, title: 'Filter keys', run: filterKeys },
  { id: CommandIds.clearKeysFilter, title: 'Clear filter', run: (s) => clearKeysFilter(s) },
  { id: CommandIds.showAwsManagedKeys, title: 'Show AWS managed keys', run: (s) => showAwsManagedKeys(s) },
  { id: CommandIds.hideAwsManagedKeys, title: 'Hide AWS managed keys', run: (s) => hideAwsManagedKeys(s) },
  { id: CommandIds.addAlias, title: 'Add alias', run: deferred('addAlias') },
  { id: CommandIds.retargetAlias, title: 'Retarget alias', run: deferred('retargetAlias') },
  { id: CommandIds.deleteAlias, title: 'Delete alias', run: deferred('deleteAlias') },
  { id: CommandIds.addTag, title: 'Add tag', run: deferred('addTag') },
  { id: CommandIds.editTag, title: 'Edit tag', run: deferred('editTag') },
  { id: CommandIds.removeTag, title: 'Remove tag', run: deferred('removeTag') },
  { id: CommandIds.createGrant, title: 'Create grant', run: deferred('createGrant') },
  { id: CommandIds.revokeGrant, title: 'Revoke grant', run: deferred('revokeGrant') },
  { id: CommandIds.retireGrant, title: 'Retire grant', run: deferred('retireGrant') },
  { id: CommandIds.retireGrantByToken, title: 'Retire grant', run: deferred('retireGrantByToken') },
  { id: CommandIds.openKeyPolicy, title: 'Open key policy', run: deferred('openKeyPolicy') },
  { id: CommandIds.saveKeyPolicy, title: 'Save key policy', run: saveKeyPolicy },
  { id: CommandIds.enableKeyRotation, title: 'Enable key rotation', run: deferred('enableKeyRotation') },
  { id: CommandIds.disableKeyRotation, title: 'Disable key rotation', run: deferred('disableKeyRotation') },
  { id: CommandIds.rotateKeyNow, title: 'Rotate key', run: deferred('rotateKeyNow') },
  { id: CommandIds.scheduleKeyDeletion, title: 'Schedule key deletion', run: deferred('scheduleKeyDeletion') },
  { id: CommandIds.cancelKeyDeletion, title: 'Cancel key deletion', run: deferred('cancelKeyDeletion') },
  { id: CommandIds.importKeyMaterial, title: 'Import key material', run: deferred('importKeyMaterial') },
  {
    id: CommandIds.deleteImportedKeyMaterial,
    title: 'Delete imported key material',
    run: deferred('deleteImportedKeyMaterial'),
  },
  { id: CommandIds.signSelection, title: 'Sign selection', run: servicesOnly(deferred('signSelection')) },
  { id: CommandIds.verifySelection, title: 'Verify selection', run: servicesOnly(deferred('verifySelection')) },
  { id: CommandIds.generateMac, title: 'Generate MAC', run: servicesOnly(deferred('generateMacForSelection')) },
  { id: CommandIds.verifyMac, title: 'Verify MAC', run: servicesOnly(deferred('verifyMacForSelection')) },
  { id: CommandIds.generateDataKey, title: 'Generate data key', run: servicesOnly(deferred('generateDataKey')) },
  {
    id: CommandIds.openSandboxTerminal,
    title: 'Open sandbox terminal',
    run: servicesOnly(deferred('openSandboxTerminal')),
  },
  { id: CommandIds.showKeyUsage, title: 'Show key usage', run: deferred('showKeyUsage') },
  {
    id: CommandIds.filterUsageByOperation,
    title: 'Filter key usage',
    run: servicesOnly(deferred('filterUsageByOperation')),
  },
  {
    id: CommandIds.filterUsageByPrincipal,
    title: 'Filter key usage',
    run: servicesOnly(deferred('filterUsageByPrincipal')),
  },
  { id: CommandIds.showUsageErrorsOnly, title: 'Filter key usage', run: servicesOnly(deferred('showUsageErrorsOnly')) },
  {
    id: CommandIds.showUsageAllOutcomes,
    title: 'Filter key usage',
    run: servicesOnly(deferred('showUsageAllOutcomes')),
  },
  { id: CommandIds.clearUsageFilters, title: 'Filter key usage', run: servicesOnly(deferred('clearUsageFilters')) },
  { id: CommandIds.refreshKeyUsage, title: 'Refresh key usage', run: servicesOnly(deferred('refreshKeyUsage')) },
  { id: CommandIds.loadMoreKeyUsage, title: 'Load more key usage', run: servicesOnly(deferred('loadMoreKeyUsage')) },
  { id: CommandIds.openUsageEvent, title: 'Open usage event', run: deferred('openUsageEvent') },
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
  { id: CommandIds.showRegions, title: 'Show Regions', run: servicesOnly(deferred('showRegions')) },
  { id: CommandIds.showRelatedKey, title: 'Show related key', run: deferred('showRelatedKey') },
  { id: CommandIds.replicateKey, title: 'Replicate key', run: deferred('replicateKey') },
  { id: CommandIds.updatePrimaryRegion, title: 'Update primary Region', run: deferred('updatePrimaryRegion') },
];

export function registerCommands(services: Services): vscode.Disposable[] {
  return COMMAND_TABLE.map((spec) =>
    vscode.commands.registerCommand(spec.id, (...args: unknown[]) => runCommand(services, spec, args)),
  );
}
