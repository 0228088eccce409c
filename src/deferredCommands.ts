// The lazy chunk dist/lazy/commands.js (esbuild.js): every command handler longer than a line, of the commands and
// the editor adapters, loaded on the first run of one of them (`deferred(name)` rows of commandTable.ts), so that
// activation compiles and runs only the table. Wiring, like commandTable.ts: the adapters never import each other.
export * from './commands/deferred';
export {
  decryptCiphertextAt,
  decryptSelection,
  encryptSelection,
  encryptSelectionWithContext,
} from './editor/selectionCommands';
export { decryptFileCommand, encryptFileCommand } from './editor/fileCommands';
export {
  generateDataKey,
  generateMacForSelection,
  signSelection,
  verifyMacForSelection,
  verifySelection,
} from './editor/textCrypto';
