// Cryptographic actions on the selected text: Sign Selection / Verify Selection (an enabled asymmetric
// signing key, an algorithm QuickPick, the signature as base64), Generate MAC / Verify MAC (an HMAC key),
// and Generate Data Key (the encrypted data key inserted at the cursor; the plaintext key shown only when
// the user asks, in a modal, then zeroed; never logged). The text is signed as UTF-8 bytes, exactly as
// selected. To verify, the signature (or MAC) is a second selection, the line Sign inserted below the
// selection, or typed/pasted when asked.
import type { DataKeySpec, MacAlgorithmSpec, SigningAlgorithmSpec } from '@aws-sdk/client-kms';
import { loadKms } from '../kms/load';
import * as vscode from 'vscode';
import { keyLabel, isEncryptionKey, type CatalogKey } from '../kms/keys';
import { decodeBase64Strict, encodeBase64 } from '../kms/encoding';
import { resolveKeyTarget, type KeyTarget } from '../ui/keyTarget';
import { withCancellableProgress } from '../ui/progress';
import type { Services } from '../ui/services';
import { UserFacingError } from '../ui/userError';

type Kind = 'signature' | 'MAC';
const USAGE: Record<Kind, string> = { signature: 'SIGN_VERIFY', MAC: 'GENERATE_VERIFY_MAC' };
const enabledFor = (kind: Kind) => (k: CatalogKey) =>
  k.status === 'ok' && k.metadata.KeyUsage === USAGE[kind] && k.metadata.KeyState === 'Enabled';

export const INSERT_BELOW = 'Insert Below Selection';
/** Longer than any signature (RSA_4096: 512 bytes) or MAC in base64. */
const MAX_BASE64_BELOW = 1024;
export const COPY = 'Copy to Clipboard';

export async function signSelection(services: Services): Promise<void> {
  await produce(services, 'signature');
}

export async function generateMacForSelection(services: Services): Promise<void> {
  await produce(services, 'MAC');
}

export async function verifySelection(services: Services): Promise<void> {
  await check(services, 'signature');
}

export async function verifyMacForSelection(services: Services): Promise<void> {
  await check(services, 'MAC');
}

/** Sign or MAC the selection; the result offered for copying or inserting below the selection. */
async function produce(services: Services, kind: Kind): Promise<void> {
  const editor = requireEditor(kind === 'signature' ? 'sign' : 'compute a MAC of');
  const selection = editor.selection;
  if (editor.selections.filter((s) => !s.isEmpty).length > 1)
    throw new UserFacingError(`Select one block of text: the ${kind} covers one message.`, { level: 'warning' });
  const message = messageBytes(editor.document, selection, kind === 'signature' ? 'sign' : 'compute a MAC of');
  const { t, algorithm } = await keyAndAlgorithm(services, kind, kind === 'signature' ? 'sign' : 'generateMac');
  if (!t || !algorithm) return;
  const kms = (await loadKms()).signing;
  const version = editor.document.version;
  const result = await withCancellableProgress(
    `${kind === 'signature' ? 'Signing' : 'Computing the MAC'} with ${keyLabel(t.key)}…`,
    (signal) =>
      kind === 'signature'
        ? kms.sign(t.active.connection.client, t.key.keyId, message, algorithm as SigningAlgorithmSpec, signal)
        : kms.generateMac(t.active.connection.client, t.key.keyId, message, algorithm as MacAlgorithmSpec, signal),
  );
  const base64 = encodeBase64(result);
  services.log.info(`Computed a ${kind} of ${message.byteLength} bytes with key ${t.key.keyId} (${algorithm}).`);
  const chosen = await services.prompter.message(
    'info',
    `The ${kind} (${algorithm}, ${keyLabel(t.key)}) of the selected ${message.byteLength} bytes: ${base64}`,
    COPY,
    INSERT_BELOW,
  );
  if (chosen === COPY) {
    await vscode.env.clipboard.writeText(base64);
  } else if (chosen === INSERT_BELOW) {
    if (editor.document.isClosed || editor.document.version !== version)
      throw new UserFacingError(`The document changed meanwhile; the ${kind} was not inserted. It is: ${base64}`, {
        level: 'warning',
      });
    const at = selection.end;
    const eol = editor.document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
    await editor.edit((b) => b.insert(at, `${eol}${base64}`), { undoStopBefore: true, undoStopAfter: true });
  }
}

/** Verify the selection against a signature or MAC: the second selection, else the one Sign inserted below it, else one typed or pasted. */
async function check(services: Services, kind: Kind): Promise<void> {
  const editor = requireEditor('verify');
  const selections = [...editor.selections].filter((s) => !s.isEmpty).sort((a, b) => a.start.compareTo(b.start));
  if (selections.length === 0)
    throw new UserFacingError(`Select the text to verify (and, as a second selection, its ${kind}).`, {
      level: 'warning',
    });
  if (selections.length > 2)
    throw new UserFacingError(`Select the message and, optionally, its ${kind}: at most two selections.`, {
      level: 'warning',
    });
  const message = messageBytes(editor.document, selections[0], 'verify');
  let expected = selections[1] ? decodeBase64Strict(editor.document.getText(selections[1])) : undefined;
  if (selections[1] && !expected)
    throw new UserFacingError(`The second selection is not a base64 ${kind}.`, { level: 'warning' });
  const below = selections[1] ? undefined : base64Below(editor.document, selections[0]);
  expected ??= below?.bytes;
  const { t, algorithm } = await keyAndAlgorithm(services, kind, kind === 'signature' ? 'verify' : 'verifyMac');
  if (!t || !algorithm) return;
  if (!expected) {
    const clip = (await vscode.env.clipboard.readText()).trim();
    const text = await services.prompter.input({
      id: `${kind === 'signature' ? 'verify' : 'verifyMac'}.value`,
      title: `Verify the selection with ${keyLabel(t.key)}`,
      prompt: `The ${kind}, base64`,
      value: clip.length < 2048 && decodeBase64Strict(clip) ? clip : '',
      validateInput: (v) => (decodeBase64Strict(v) ? undefined : `Paste the ${kind} as base64.`),
    });
    if (text === undefined) return;
    expected = decodeBase64Strict(text);
    if (!expected) throw new UserFacingError(`That is not a base64 ${kind}.`, { level: 'warning' });
  }
  const kms = (await loadKms()).signing;
  const valid = await withCancellableProgress(`Verifying with ${keyLabel(t.key)}…`, (signal) =>
    kind === 'signature'
      ? kms.verify(
          t.active.connection.client,
          t.key.keyId,
          message,
          expected,
          algorithm as SigningAlgorithmSpec,
          signal,
        )
      : kms.verifyMac(
          t.active.connection.client,
          t.key.keyId,
          message,
          expected,
          algorithm as MacAlgorithmSpec,
          signal,
        ),
  );
  services.log.info(`Verified a ${kind} with key ${t.key.keyId} (${algorithm}): ${valid ? 'valid' : 'not valid'}.`);
  const which = below ? `the ${kind} on line ${below.line}` : `the ${kind}`;
  if (valid)
    void services.prompter.message(
      'info',
      `Valid: ${which} matches the selected text (${algorithm}, ${keyLabel(t.key)}).`,
    );
  else
    void services.prompter.message(
      'warning',
      `Not valid: ${which} does not match the selected text with ${keyLabel(t.key)} and ${algorithm}. The text, the ${kind}, the key or the algorithm differs from when it was made.`,
    );
}

/** The base64 line right below the selection, where "Insert Below Selection" puts a signature or MAC (1-based line). */
function base64Below(
  document: vscode.TextDocument,
  selection: vscode.Selection,
): { bytes: Uint8Array; line: number } | undefined {
  const end = selection.end;
  if (end.line + 1 >= document.lineCount || document.lineAt(end.line).text.slice(end.character).trim() !== '')
    return undefined;
  const text = document.lineAt(end.line + 1).text.trim();
  const bytes = text.length > 0 && text.length <= MAX_BASE64_BELOW ? decodeBase64Strict(text) : undefined;
  return bytes ? { bytes, line: end.line + 2 } : undefined;
}

async function keyAndAlgorithm(
  services: Services,
  kind: Kind,
  id: string,
): Promise<{ t?: KeyTarget; algorithm?: string }> {
  const verb =
    kind === 'signature'
      ? 'sign or verify with (an enabled asymmetric signing key is needed)'
      : 'compute MACs with (an enabled HMAC key is needed)';
  const t = await resolveKeyTarget(services, undefined, {
    id: `${id}.key`,
    title: `KMS: ${kind === 'signature' ? 'Sign / Verify' : 'MAC'}`,
    verb,
    accept: enabledFor(kind),
  });
  if (!t || t.key.status !== 'ok') return {};
  const { macAlgorithmsOf, signingAlgorithmsOf } = (await loadKms()).signing;
  const algorithms: string[] =
    kind === 'signature' ? signingAlgorithmsOf(t.key.metadata) : macAlgorithmsOf(t.key.metadata);
  if (algorithms.length === 0)
    throw new UserFacingError(`${keyLabel(t.key)} cannot make a ${kind}.`, { level: 'warning' });
  const algorithm =
    algorithms.length === 1
      ? algorithms[0]
      : await services.prompter.pick(
          algorithms.map((a) => ({ label: a, value: a })),
          {
            id: `${id}.algorithm`,
            title: `${kind === 'signature' ? 'Signing' : 'MAC'} algorithm for ${keyLabel(t.key)}`,
            placeholder: 'Choose the algorithm',
          },
        );
  return { t, algorithm };
}

export const SHOW_PLAINTEXT = 'Show Plaintext Key…';

/** GenerateDataKey: the encrypted data key (base64) replaces the selection; the plaintext only on request. */
export async function generateDataKey(services: Services): Promise<void> {
  const editor = requireEditor('insert a data key into');
  const t = await resolveKeyTarget(services, undefined, {
    id: 'dataKey.key',
    title: 'KMS: Generate Data Key',
    verb: 'generate data keys with (an enabled symmetric encryption key is needed)',
    accept: isEncryptionKey,
  });
  if (!t) return;
  const spec = await services.prompter.pick<DataKeySpec>(
    [
      { label: 'AES_256', description: '256-bit data key', value: 'AES_256' },
      { label: 'AES_128', description: '128-bit data key', value: 'AES_128' },
    ],
    { id: 'dataKey.spec', title: `Data key under ${keyLabel(t.key)}`, placeholder: 'Data key size' },
  );
  if (!spec) return;
  const { parseEncryptionContext } = await import('../kms/encryptionContext');
  const contextText = await services.prompter.input({
    id: 'dataKey.context',
    title: `Data key under ${keyLabel(t.key)}`,
    prompt: 'Optional encryption context (key=value, key2=value2): decrypting the data key then needs the same context',
    validateInput: (v) => {
      const r = parseEncryptionContext(v);
      return 'error' in r ? r.error : undefined;
    },
  });
  if (contextText === undefined) return;
  const parsed = parseEncryptionContext(contextText);
  if ('error' in parsed) throw new UserFacingError(parsed.error, { level: 'warning' });
  const kms = (await loadKms()).signing;
  const version = editor.document.version;
  const selection = editor.selection;
  const dataKey = await withCancellableProgress(`Generating a data key with ${keyLabel(t.key)}…`, (signal) =>
    kms.generateDataKey(t.active.connection.client, t.key.keyId, spec, { encryptionContext: parsed.context, signal }),
  );
  try {
    if (editor.document.isClosed || editor.document.version !== version)
      throw new UserFacingError('The document changed meanwhile: nothing was inserted. Run the command again.', {
        level: 'warning',
      });
    const ok = await editor.edit((b) => b.replace(selection, encodeBase64(dataKey.ciphertextBlob)), {
      undoStopBefore: true,
      undoStopAfter: true,
    });
    if (!ok) throw new UserFacingError('The editor refused the edit: nothing was inserted.');
    services.log.info(`Generated a ${spec} data key under key ${t.key.keyId} and inserted its encrypted form.`);
    const chosen = await services.prompter.message(
      'info',
      `Inserted a ${spec} data key encrypted under ${keyLabel(t.key)} (base64). KMS Decrypt${Object.keys(parsed.context).length ? ' with the same encryption context' : ''} returns its plaintext.`,
      SHOW_PLAINTEXT,
    );
    if (chosen === SHOW_PLAINTEXT) {
      const copy = await services.prompter.confirm(
        'The plaintext data key (base64). Anyone who sees it can decrypt what it encrypts: do not store it next to the data, and close this after use.',
        {
          id: 'dataKey.plaintext',
          detail: encodeBase64(dataKey.plaintext),
          confirmLabel: COPY,
        },
      );
      if (copy) await vscode.env.clipboard.writeText(encodeBase64(dataKey.plaintext));
    }
  } finally {
    dataKey.plaintext.fill(0);
  }
}

function requireEditor(verb: string): vscode.TextEditor {
  const editor = vscode.window.activeTextEditor;
  if (!editor) throw new UserFacingError(`Open a file and select the text to ${verb}.`, { level: 'warning' });
  return editor;
}

function messageBytes(document: vscode.TextDocument, selection: vscode.Selection, verb: string): Uint8Array {
  const text = document.getText(selection);
  if (!text) throw new UserFacingError(`Select the text to ${verb}.`, { level: 'warning' });
  return new Uint8Array(Buffer.from(text, 'utf8'));
}
