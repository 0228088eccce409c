// Command ids, shared by the command table, the trees, the error actions and package.json.
export const CommandIds = {
  refresh: 'kmsExplorer.refresh',
  selectConnection: 'kmsExplorer.selectConnection',
  useSandbox: 'kmsExplorer.useSandbox',
  encryptSelection: 'kmsExplorer.encryptSelection',
  decryptSelection: 'kmsExplorer.decryptSelection',
  enableKey: 'kmsExplorer.enableKey',
  showLog: 'kmsExplorer.showLog',
  openGettingStarted: 'kmsExplorer.openGettingStarted',
  openSampleFile: 'kmsExplorer.openSampleFile',
  /** Implemented by the key policy document (issue 4B); the Key policy tree node runs it. */
  openKeyPolicy: 'kmsExplorer.openKeyPolicy',
  createKey: 'kmsExplorer.createKey',
  disableKey: 'kmsExplorer.disableKey',
  editKeyDescription: 'kmsExplorer.editKeyDescription',
  copyKeyId: 'kmsExplorer.copyKeyId',
  copyKeyArn: 'kmsExplorer.copyKeyArn',
  downloadPublicKey: 'kmsExplorer.downloadPublicKey',
  showKeyDetails: 'kmsExplorer.showKeyDetails',
  filterKeys: 'kmsExplorer.filterKeys',
  clearKeysFilter: 'kmsExplorer.clearKeysFilter',
  showAwsManagedKeys: 'kmsExplorer.showAwsManagedKeys',
  hideAwsManagedKeys: 'kmsExplorer.hideAwsManagedKeys',
  addAlias: 'kmsExplorer.addAlias',
  retargetAlias: 'kmsExplorer.retargetAlias',
  deleteAlias: 'kmsExplorer.deleteAlias',
  addTag: 'kmsExplorer.addTag',
  editTag: 'kmsExplorer.editTag',
  removeTag: 'kmsExplorer.removeTag',
} as const;

export type CommandId = (typeof CommandIds)[keyof typeof CommandIds];
