// The commands adapter's handlers that load on first use, with the editor's (src/deferredCommands.ts, the lazy chunk
// dist/lazy/commands.js): the key lifecycle's larger flows — Create Key, grants, imported key material, deletion,
// multi-Region keys, Check Access, the sandbox's principals — and the smaller ones.
export { createKey } from './createKey';
export { cancelKeyDeletion, scheduleKeyDeletion } from './deletion';
export { createGrant, retireGrant, retireGrantByToken, revokeGrant } from './grants';
export { deleteImportedKeyMaterial, importKeyMaterial } from './importMaterial';
export { replicateKey, showRelatedKey, updatePrimaryRegion } from './multiRegion';
export { checkAccess, revealAccessSource } from './access';
export {
  actAsPrincipal,
  createRole,
  createUser,
  deletePrincipal,
  editPrincipalPolicy,
  openSandboxTerminalAs,
  refreshPrincipals,
} from './principals';
// The smaller flows: key actions, aliases, tags, rotation, the key policy, key usage, connections and Regions.
export { selectConnection, useSandbox } from './connection';
export { addAlias, deleteAlias, retargetAlias } from './aliases';
export { showRegions } from './regions';
export { copyKeyArn, copyKeyId, disableKey, downloadPublicKey, editKeyDescription, showKeyDetails } from './keyActions';
export { addTag, editTag, removeTag } from './tags';
export { openKeyPolicy } from './keyPolicy';
export { disableKeyRotation, enableKeyRotation, rotateKeyNow } from './rotation';
export { openSandboxTerminal } from './sandboxTerminal';
export {
  clearUsageFilters,
  filterUsageByOperation,
  filterUsageByPrincipal,
  loadMoreKeyUsage,
  openUsageEvent,
  refreshKeyUsage,
  showKeyUsage,
  showUsageAllOutcomes,
  showUsageErrorsOnly,
} from './keyUsage';
