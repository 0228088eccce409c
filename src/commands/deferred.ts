// The command handlers loaded on first use (the lazy chunk dist/lazy/commands.js): the key lifecycle's larger flows
// — Create Key, grants, imported key material, deletion, multi-Region keys, Check Access, the sandbox's principals.
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
