// Local checks of selections for Encrypt/Decrypt Selection, with no SDK import (the editor adapter
// runs them before prompting, at no load cost): empty, too large, not base64; which form a plaintext
// selection is encrypted to (KMS Encrypt up to 4096 UTF-8 bytes, else the Encryption SDK); and the
// wording of a failure: the reason first, then the selection it concerns (1-based, line and column).
import type { ExplainedError } from '../kms/errors';
import { MAX_ENCRYPT_BYTES, decodeBase64Strict } from '../kms/encoding';

/** A selection's text and where it starts (0-based, as VS Code positions are). */
export interface SelectionText {
  text: string;
  line: number;
  character: number;
}

export interface SelectionFailure {
  /** 1-based selection number, in the order given. */
  selection: number;
  /** 1-based line and column where the selection starts. */
  line: number;
  column: number;
  /** A sentence that says what is wrong ("The selection is empty."), without naming the selection. */
  reason: string;
  /** The explained KMS error, when KMS refused (lets the UI offer an action such as "Enable key"). */
  error?: ExplainedError;
}

/** "selection 2, line 3, column 5" */
export function describeSelectionPosition(failure: Pick<SelectionFailure, 'selection' | 'line' | 'column'>): string {
  return `selection ${failure.selection}, line ${failure.line}, column ${failure.column}`;
}

/** The reason first, then where: "The selection is empty (selection 2, line 3, column 5)." */
export function formatFailure(failure: SelectionFailure): string {
  if (failure.selection === 0) return failure.reason;
  return `${failure.reason.replace(/\.$/, '')} (${describeSelectionPosition(failure)}).`;
}

/** `auto`: KMS Encrypt (a raw ciphertext blob) up to 4096 bytes, the Encryption SDK above; `envelope`: always the Encryption SDK. */
export type EncryptFormat = 'auto' | 'envelope';

/** Envelope-encrypted selections are held in memory (text, bytes, base64): this is their upper bound. */
export const MAX_SELECTION_BYTES = 64 * 1024 * 1024;

/** Whether a plaintext of this many UTF-8 bytes is sent to KMS Encrypt itself (else: envelope). */
export function usesKmsEncrypt(bytes: number, format: EncryptFormat = 'auto'): boolean {
  return format === 'auto' && bytes <= MAX_ENCRYPT_BYTES;
}

/** Why a plaintext selection cannot be encrypted, or undefined when it can. */
export function checkEncryptable(text: string): string | undefined {
  if (text.length === 0) return 'The selection is empty.';
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_SELECTION_BYTES)
    return `The selection is ${bytes} bytes; selections of at most ${MAX_SELECTION_BYTES / 1024 / 1024} MiB are encrypted in the editor (use KMS: Encrypt File… for larger data).`;
  return undefined;
}

/** The ciphertext bytes of a selection, or why it is not one. */
export function parseCiphertext(text: string): { blob: Uint8Array } | { reason: string } {
  if (text.trim().length === 0) return { reason: 'The selection is empty.' };
  const blob = decodeBase64Strict(text);
  if (!blob) return { reason: 'The text is not base64, so it cannot be a KMS ciphertext.' };
  return { blob };
}

/** The first selection (in order) that cannot be encrypted, checked locally before any request. */
export function validateForEncrypt(selections: readonly SelectionText[]): SelectionFailure | undefined {
  return firstInvalid(selections, (s) => checkEncryptable(s.text));
}

/** The first selection (in order) that is not base64 ciphertext, checked locally before any request. */
export function validateForDecrypt(selections: readonly SelectionText[]): SelectionFailure | undefined {
  return firstInvalid(selections, checkDecryptable);
}

function checkDecryptable(s: SelectionText): string | undefined {
  const parsed = parseCiphertext(s.text);
  return 'reason' in parsed ? parsed.reason : undefined;
}

export function failureAt(
  selections: readonly SelectionText[],
  index: number,
  reason: string,
  error?: ExplainedError,
): SelectionFailure {
  return {
    selection: index + 1,
    line: selections[index].line + 1,
    column: selections[index].character + 1,
    reason,
    error,
  };
}

function firstInvalid(
  selections: readonly SelectionText[],
  check: (s: SelectionText) => string | undefined,
): SelectionFailure | undefined {
  if (selections.length === 0) return { selection: 0, line: 0, column: 0, reason: 'There is no selection.' };
  for (let i = 0; i < selections.length; i++) {
    const reason = check(selections[i]);
    if (reason) return failureAt(selections, i, reason);
  }
  return undefined;
}
