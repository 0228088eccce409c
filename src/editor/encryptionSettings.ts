// The editor-encryption settings, read fresh on each use: kmsExplorer.encryption.format,
// kmsExplorer.encryptionContext, kmsExplorer.decrypt.target, kmsExplorer.recognition.*.
import * as vscode from 'vscode';
import type { EncryptionContext } from '../kms/crypto';
import { validateContextObject } from '../kms/encryptionContext';
import { UserFacingError } from '../ui/userError';
import type { EncryptFormat } from './selectionChecks';

export type DecryptTarget = 'inPlace' | 'newEditor';

const config = () => vscode.workspace.getConfiguration('kmsExplorer');

export function encryptFormat(): EncryptFormat {
  return config().get<string>('encryption.format') === 'envelope' ? 'envelope' : 'auto';
}

export function decryptTarget(): DecryptTarget {
  return config().get<string>('decrypt.target') === 'newEditor' ? 'newEditor' : 'inPlace';
}

/** The configured encryption context; a malformed setting stops the command with a message naming it. */
export function configuredContext(): EncryptionContext {
  const parsed = validateContextObject(config().get<unknown>('encryptionContext'));
  if ('error' in parsed)
    throw new UserFacingError(`The setting kmsExplorer.encryptionContext is not valid: ${parsed.error}`, {
      explained: { code: 'Settings', summary: parsed.error, action: 'openSettings' },
    });
  return parsed.context;
}

export interface RecognitionSettings {
  enabled: boolean;
  /** Documents larger than this (characters) are not scanned. */
  maxDocumentSize: number;
}

export function recognitionSettings(): RecognitionSettings {
  const c = config();
  return {
    enabled: c.get<boolean>('recognition.enabled') ?? true,
    maxDocumentSize: Math.max(0, c.get<number>('recognition.maxDocumentSize') ?? 1_000_000),
  };
}
