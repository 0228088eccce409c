// Editor encryption inside VS Code against the extension's sandbox: envelope encryption of large and chosen
// selections, encryption context (typed, configured, asked for on decrypt and remembered), decrypt
// target, Encrypt/Decrypt File, ciphertext recognition (CodeLens + hover), and the failure cases that
// must leave the text unchanged. Interop: the AWS CLI decrypts raw blobs, a stock Encryption SDK
// program decrypts our messages and writes ones we decrypt.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DisableKeyCommand,
  EncryptCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import type { ExtensionApi } from '../../src/extension';
import { runEsdkCli } from '../interop/runEsdkCli';
import { EXTENSION_ID, useExtension } from './support/extension';
import { ScriptedPrompter } from './support/scriptedPrompter';
import { openDocument, select, selectLines } from './support/editors';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const isBase64 = /^[A-Za-z0-9+/]+=*$/;

const config = () => vscode.workspace.getConfiguration('kmsExplorer');

describe('Editor encryption: envelope, context, files, recognition', function () {
  this.timeout(120_000);
  let api: ExtensionApi;
  let client: KMSClient;
  let prompter: ScriptedPrompter;
  let keyArn: string;
  let sandboxEnv: NodeJS.ProcessEnv;
  let repo: string;
  let tmp: string;
  const alias = `alias/it-issue6-${Date.now()}`;

  /** The stock Encryption SDK program (test/interop/esdk-cli.cjs), talking to the same sandbox. */
  const esdk = (args: string[], input: Buffer) =>
    runEsdkCli(args, input, sandboxEnv, path.join(repo, 'test/interop/esdk-cli.cjs'));

  useExtension((e) => ({ api, client, prompter } = e));
  before(async () => {
    repo = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
    const s = (await api.services.connections.get()).connection.settings;
    if (s.kind !== 'sandbox') throw new Error('expects the sandbox connection');
    sandboxEnv = {
      ...process.env,
      KMS_ENDPOINT: s.endpoint,
      AWS_REGION: s.region,
      AWS_ACCESS_KEY_ID: s.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s.secretAccessKey,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_PAGER: '',
      NODE_NO_WARNINGS: '1',
      AWS_SDK_JS_SUPPRESS_NODE_DEPRECATION_WARNING: '1',
    };
    keyArn = (await client.send(new CreateKeyCommand({ Description: 'editor encryption' }))).KeyMetadata!.Arn!;
    await client.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyArn }));
    await vscode.commands.executeCommand('kmsExplorer.refresh');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-it-issue6-'));
  });
  afterEach(async () => {
    for (const key of [
      'encryption.format',
      'encryptionContext',
      'decrypt.target',
      'recognition.enabled',
      'recognition.maxDocumentSize',
    ])
      await config().update(key, undefined, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    for (let i = 0; i < 30 && vscode.window.activeTextEditor; i++)
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    client?.destroy();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const errors = () => prompter.recorded.messages.filter((m) => m.level !== 'info');

  it('encrypts a selection over 4096 bytes as an Encryption SDK message a stock Encryption SDK program decrypts; decrypts it back', async () => {
    const big = 'config line with a secret ✓\n'.repeat(400).trimEnd(); // about 11 KB
    const editor = await openDocument(`head\n${big}\ntail`);
    await select(editor, [new vscode.Selection(1, 0, 400, editor.document.lineAt(400).text.length)]);
    prompter.answerPick('encrypt.key', alias);
    await vscode.commands.executeCommand('kmsExplorer.encryptSelection');
    assert.deepEqual(errors(), []);
    const lines = editor.document.getText().split('\n');
    assert.equal(lines.length, 3);
    assert.equal(lines[0], 'head');
    assert.equal(lines[2], 'tail');
    assert.match(lines[1], isBase64);
    const message = Buffer.from(lines[1], 'base64');
    assert.equal(message[0], 0x02, 'Encryption SDK message format version 2');
    assert.equal((await esdk(['decrypt'], message)).toString('utf8'), big, 'the stock Encryption SDK decrypts it');

    await selectLines(editor, [1]);
    await vscode.commands.executeCommand('kmsExplorer.decryptSelection');
    assert.deepEqual(errors(), []);
    assert.equal(editor.document.getText(), `head\n${big}\ntail`);
  });

  it('offers envelope encryption in the key QuickPick and by setting; decrypts a message the stock program wrote, showing its context', async () => {
    const editor = await openDocument('short secret\nanother\n');
    await selectLines(editor, [0]);
    prompter.answerPick('encrypt.key', /Envelope encryption/).answerPick('encrypt.key', alias);
    await vscode.commands.executeCommand('kmsExplorer.encryptSelection');
    assert.deepEqual(errors(), []);
    assert.equal(prompter.recorded.picks.length, 2);
    assert.ok(!prompter.recorded.picks[1].labels.some((l) => /Envelope/.test(l)), 'the second pick lists keys only');
    assert.equal(Buffer.from(editor.document.lineAt(0).text, 'base64')[0], 0x02, 'an Encryption SDK message');

    await config().update('encryption.format', 'envelope', vscode.ConfigurationTarget.Global);
    await selectLines(editor, [1]);
    prompter.answerPick('encrypt.key', alias);
    await vscode.commands.executeCommand('kmsExplorer.encryptSelection');
    assert.ok(
      !prompter.recorded.picks[2].labels.some((l) => /Envelope/.test(l)),
      'no envelope entry when the setting already says so',
    );
    assert.equal(Buffer.from(editor.document.lineAt(1).text, 'base64')[0], 0x02);

    const theirs = b64(
      await esdk(['encrypt', keyArn, 'origin=script', 'team=payments'], Buffer.from('from the stock program')),
    );
    const second = await openDocument(`${theirs}\n`);
    await selectLines(second, [0]);
    await vscode.commands.executeCommand('kmsExplorer.decryptSelection');
    assert.equal(second.document.lineAt(0).text, 'from the stock program');
    assert.deepEqual(errors(), []);
    assert.match(prompter.lastMessage()!.text, /Encryption context: origin=script, team=payments/);
  });

  it('Encrypt Selection with Context: a raw blob the AWS CLI decrypts with that context; decrypt asks for an unknown context and remembers it', async function () {
    const editor = await openDocument('db password\n');
    await selectLines(editor, [0]);
    prompter.answerInput('encrypt.context', 'app=billing, env=dev').answerPick('encrypt.key', alias);
    await vscode.commands.executeCommand('kmsExplorer.encryptSelectionWithContext');
    assert.deepEqual(errors(), []);
    const blob = editor.document.lineAt(0).text;
    assert.match(blob, isBase64);
    if (fs.existsSync('/usr/bin/aws')) {
      const { stdout } = await promisify(execFile)(
        'bash',
        [
          '-c',
          '/usr/bin/aws kms decrypt --endpoint-url "$KMS_ENDPOINT" --ciphertext-blob fileb://<(printf %s "$BLOB" | base64 -d) --encryption-context app=billing,env=dev --query Plaintext --output text | base64 -d',
        ],
        { env: { ...sandboxEnv, BLOB: blob }, encoding: 'utf8' },
      );
      assert.equal(stdout, 'db password', 'the AWS CLI decrypts it with the same context');
    }
    // The context typed for encrypting is remembered: decrypt needs no prompt.
    await selectLines(editor, [0]);
    await vscode.commands.executeCommand('kmsExplorer.decryptSelection');
    assert.deepEqual(errors(), []);
    assert.equal(editor.document.lineAt(0).text, 'db password');

    // A blob with a context this session has never seen: KMS refuses it, the user is asked, then it is remembered.
    const ctx = { tenant: `t-${Date.now()}` };
    const made = async (text: string) =>
      b64(
        (await client.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from(text), EncryptionContext: ctx })))
          .CiphertextBlob!,
      );
    const other = await openDocument(`${await made('first')}\n${await made('second')}\n`);
    const before = other.document.getText();
    await selectLines(other, [0]);
    // Asked once: a refused context is said to be refused, and the command stops (no second prompt).
    prompter.answerInput('decrypt.context', 'tenant=wrong');
    await vscode.commands.executeCommand('kmsExplorer.decryptSelection');
    assert.equal(other.document.getText(), before, 'a wrong context changes nothing');
    assert.equal(
      prompter.lastMessage()!.text,
      'KMS refused the ciphertext also with tenant=wrong. Likely causes: the text was altered, it was encrypted in another account or Region, or with a different encryption context (selection 1, line 1, column 1). Nothing was replaced.',
    );
    // Dismissing the prompt: the refusal with its likely causes.
    await selectLines(other, [0]);
    prompter.answerInput('decrypt.context', undefined);
    await vscode.commands.executeCommand('kmsExplorer.decryptSelection');
    assert.match(
      prompter.lastMessage()!.text,
      /^KMS refused the ciphertext\. Likely causes: the text was altered, .*another account or Region.*missing or different \(selection 1, line 1, column 1\)\. Nothing was replaced\.$/,
    );

    await selectLines(other, [0]);
    prompter.answerInput('decrypt.context', `tenant=${ctx.tenant}`);
    await vscode.commands.executeCommand('kmsExplorer.decryptSelection');
    assert.equal(other.document.lineAt(0).text, 'first');
    await selectLines(other, [1]);
    await vscode.commands.executeCommand('kmsExplorer.decryptSelection'); // no answer scripted: a prompt would fail
    assert.equal(other.document.lineAt(1).text, 'second', 'the context was remembered for the session');
  });

  it('uses the kmsExplorer.encryptionContext setting, and refuses an Encryption SDK message lacking it', async () => {
    await config().update('encryptionContext', { project: 'kms-explorer' }, vscode.ConfigurationTarget.Global);
    const editor = await openDocument(`${'x'.repeat(5000)}\n`);
    await selectLines(editor, [0]);
    prompter.answerPick('encrypt.key', alias);
    await vscode.commands.executeCommand('kmsExplorer.encryptSelection');
    const encrypted = editor.document.getText();
    await config().update('encryptionContext', { project: 'other' }, vscode.ConfigurationTarget.Global);
    await selectLines(editor, [0]);
    await vscode.commands.executeCommand('kmsExplorer.decryptSelection');
    assert.equal(editor.document.getText(), encrypted, 'nothing replaced');
    assert.match(
      prompter.lastMessage()!.text,
      /encryption context does not contain the configured one \(project=other\).*Nothing was replaced\./,
    );
    await config().update('encryptionContext', { project: 'kms-explorer' }, vscode.ConfigurationTarget.Global);
    await selectLines(editor, [0]);
    await vscode.commands.executeCommand('kmsExplorer.decryptSelection');
    assert.equal(editor.document.getText(), `${'x'.repeat(5000)}\n`);
    assert.match(prompter.lastMessage()!.text, /Encryption context: project=kms-explorer/);
  });

  it('decrypt.target newEditor opens the plaintext in a read-only in-memory editor and leaves the file unchanged; in place into a file on disk warns once', async () => {
    const file = path.join(tmp, 'secrets.txt');
    fs.writeFileSync(file, 'alpha\nbeta\n');
    const editor = await openDocument(vscode.Uri.file(file));
    await selectLines(editor, [0, 1]);
    prompter.answerPick('encrypt.key', alias);
    await vscode.commands.executeCommand('kmsExplorer.encryptSelection');
    const encrypted = editor.document.getText();

    await config().update('decrypt.target', 'newEditor', vscode.ConfigurationTarget.Global);
    await selectLines(editor, [0, 1]);
    await vscode.commands.executeCommand('kmsExplorer.decryptSelection');
    assert.equal(editor.document.getText(), encrypted, 'the file is unchanged');
    const opened = vscode.window.activeTextEditor!.document;
    // A read-only document held in memory: not untitled (VS Code would back that up to disk), not a file.
    assert.equal(opened.uri.scheme, 'kms-plaintext');
    assert.equal(opened.isUntitled, false);
    assert.match(opened.uri.path, /^\/\d+\/secrets \(decrypted\)\.txt$/);
    assert.equal(opened.languageId, editor.document.languageId);
    assert.equal(opened.getText(), 'alpha\n\nbeta');
    assert.equal(opened.isDirty, false);
    assert.ok(!fs.readdirSync(tmp).some((f) => f.includes('decrypted')), 'nothing written next to the file');
    assert.deepEqual(errors(), [], 'no plaintext warning for a new editor');

    await config().update('decrypt.target', 'inPlace', vscode.ConfigurationTarget.Global);
    const again = await openDocument(vscode.Uri.file(file));
    await selectLines(again, [0]);
    await vscode.commands.executeCommand('kmsExplorer.decryptSelection');
    assert.equal(again.document.lineAt(0).text, 'alpha');
    const warnings = prompter.recorded.messages.filter((m) => m.level === 'warning');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0].text, /saving the file will write plaintext to disk/);
    assert.doesNotMatch(warnings[0].text, /alpha/, 'no plaintext in the message');
    await selectLines(again, [1]);
    await vscode.commands.executeCommand('kmsExplorer.decryptSelection');
    assert.equal(again.document.lineAt(1).text, 'beta');
    assert.equal(prompter.recorded.messages.filter((m) => m.level === 'warning').length, 1, 'said once');
  });

  it('failure cases leave the text unchanged: disabled key (Encryption SDK), network fault, dismissed prompts, a document changed meanwhile', async () => {
    const temp = (await client.send(new CreateKeyCommand({ Description: 'editor encryption, disabled' }))).KeyMetadata!;
    const tempAlias = `alias/it-issue6-disabled-${Date.now()}`;
    await client.send(new CreateAliasCommand({ AliasName: tempAlias, TargetKeyId: temp.Arn! }));
    await vscode.commands.executeCommand('kmsExplorer.refresh');
    const editor = await openDocument(`${'s'.repeat(6000)}\nsmall\n`);
    await selectLines(editor, [0, 1]);
    prompter.answerPick('encrypt.key', tempAlias);
    await vscode.commands.executeCommand('kmsExplorer.encryptSelection');
    const encrypted = editor.document.getText();
    await client.send(new DisableKeyCommand({ KeyId: temp.KeyId }));
    await selectLines(editor, [0, 1]);
    await vscode.commands.executeCommand('kmsExplorer.decryptSelection');
    assert.equal(editor.document.getText(), encrypted, 'disabled key: nothing replaced');
    const failure = prompter.lastMessage()!;
    assert.match(
      failure.text,
      new RegExp(
        `^The key ${tempAlias} is disabled \\(selection [12], line [12], column 1\\)\\. Nothing was replaced\\.$`,
      ),
    );
    assert.deepEqual(failure.actions, ['Enable key']);

    // A real network fault: the extension's own client is sent to a closed port for this command.
    const { connection } = await api.services.connections.get();
    connection.client.middlewareStack.add(
      (next) => (args) => {
        const request = args.request as { hostname?: string; port?: number };
        request.hostname = '127.0.0.1';
        request.port = 1;
        return next(args);
      },
      { step: 'finalizeRequest', name: 'itClosedPort', priority: 'low' },
    );
    try {
      const ok = await openDocument(
        `${(await esdk(['encrypt', keyArn], Buffer.from('n'.repeat(10)))).toString('base64')}\n`,
      );
      const text = ok.document.getText();
      await selectLines(ok, [0]);
      await vscode.commands.executeCommand('kmsExplorer.decryptSelection');
      assert.equal(ok.document.getText(), text, 'network fault: nothing replaced');
      assert.match(prompter.lastMessage()!.text, /Could not reach the KMS endpoint|ECONNREFUSED/);
    } finally {
      connection.client.middlewareStack.remove('itClosedPort');
    }

    // Dismissed prompts: no key chosen, no context typed.
    const plain = await openDocument('untouched\n');
    await selectLines(plain, [0]);
    prompter.answerPick('encrypt.key', () => undefined);
    await vscode.commands.executeCommand('kmsExplorer.encryptSelection');
    prompter.answerInput('encrypt.context', undefined);
    await vscode.commands.executeCommand('kmsExplorer.encryptSelectionWithContext');
    assert.equal(plain.document.getText(), 'untouched\n');

    // The document changes while envelope encryption runs: the edit is made (and awaited) as the first KMS request goes out.
    const changing = await openDocument(`${'c'.repeat(300_000)}\n`);
    await selectLines(changing, [0]);
    let edited = false;
    connection.client.middlewareStack.add(
      (next) => async (args) => {
        if (!edited) {
          edited = true;
          const edit = new vscode.WorkspaceEdit();
          edit.insert(changing.document.uri, new vscode.Position(1, 0), 'typed');
          await vscode.workspace.applyEdit(edit);
        }
        return next(args);
      },
      { step: 'initialize', name: 'itEditMeanwhile' },
    );
    try {
      prompter.answerPick('encrypt.key', alias);
      await vscode.commands.executeCommand('kmsExplorer.encryptSelection');
    } finally {
      connection.client.middlewareStack.remove('itEditMeanwhile');
    }
    assert.ok(edited, 'the edit was made while KMS was working');
    assert.equal(changing.document.getText(), `${'c'.repeat(300_000)}\ntyped`);
    assert.match(prompter.lastMessage()!.text, /The document changed while KMS was working\. Nothing was replaced\./);
  });

  it('Encrypt File / Decrypt File: <name>.encrypted and back, readable by the stock program; never overwrites without asking', async () => {
    const file = path.join(tmp, 'app.env');
    const content = Buffer.from('API_KEY=abc\n'.repeat(50_000)); // 600 KB
    fs.writeFileSync(file, content);
    prompter.answerPick('encrypt.key', alias);
    await vscode.commands.executeCommand('kmsExplorer.encryptFile', vscode.Uri.file(file));
    assert.deepEqual(errors(), []);
    const encrypted = fs.readFileSync(`${file}.encrypted`);
    assert.ok((await esdk(['decrypt'], encrypted)).equals(content), 'the stock Encryption SDK decrypts the file');

    // The output exists: declined → untouched; no temporary file left anywhere.
    prompter.answerInput('file.overwrite', 'No');
    prompter.answerPick('encrypt.key', alias);
    await vscode.commands.executeCommand('kmsExplorer.encryptFile', vscode.Uri.file(file));
    assert.ok(fs.readFileSync(`${file}.encrypted`).equals(encrypted));
    assert.equal(prompter.recorded.picks.length, 1, 'declining stops before the key prompt');

    fs.rmSync(file);
    await vscode.commands.executeCommand('kmsExplorer.decryptFile', vscode.Uri.file(`${file}.encrypted`));
    assert.ok(fs.readFileSync(file).equals(content));
    prompter.answerInput('file.overwrite', 'Replace');
    await vscode.commands.executeCommand('kmsExplorer.decryptFile', vscode.Uri.file(`${file}.encrypted`));
    assert.ok(fs.readFileSync(file).equals(content));

    // Not an Encryption SDK message: refused before any request.
    await vscode.commands.executeCommand('kmsExplorer.decryptFile', vscode.Uri.file(file));
    assert.match(prompter.lastMessage()!.text, /app\.env is not an AWS Encryption SDK message.*No file was written\./);
    assert.deepEqual(
      fs
        .readdirSync(tmp)
        .filter((f) => f.startsWith('app.env'))
        .sort(),
      ['app.env', 'app.env.encrypted'],
    );
  });

  it('Encrypt File / Decrypt File on an Explorer multi-selection: every file, one key prompt; a conflicting selection writes nothing', async () => {
    const names = ['one.txt', 'two.txt', 'three.txt'];
    const files = names.map((n) => path.join(tmp, n));
    files.forEach((f, i) => fs.writeFileSync(f, `file ${i}\n`.repeat(10_000 * (i + 1))));
    const uris = files.map((f) => vscode.Uri.file(f));
    const picksBefore = prompter.recorded.picks.length;
    prompter.answerPick('encrypt.key', alias);
    // The Explorer passes the clicked file, then the whole selection.
    await vscode.commands.executeCommand('kmsExplorer.encryptFile', uris[1], uris);
    assert.deepEqual(errors(), []);
    assert.equal(prompter.recorded.picks.length - picksBefore, 1, 'one key prompt for all the files');
    assert.match(
      prompter.lastMessage()!.text,
      /^Encrypted one\.txt, two\.txt and three\.txt to 3 \.encrypted files\.$/,
    );
    for (const [i, f] of files.entries()) {
      assert.equal(
        (await esdk(['decrypt'], fs.readFileSync(`${f}.encrypted`))).toString(),
        `file ${i}\n`.repeat(10_000 * (i + 1)),
      );
    }

    // A file and its own output selected together: refused before anything is asked or written.
    const listing = () =>
      fs
        .readdirSync(tmp)
        .filter((f) => names.some((n) => f.startsWith(n)))
        .sort();
    const before = listing();
    await vscode.commands.executeCommand('kmsExplorer.encryptFile', uris[0], [
      uris[0],
      vscode.Uri.file(`${files[0]}.encrypted`),
    ]);
    assert.match(
      prompter.lastMessage()!.text,
      /one\.txt\.encrypted is selected, and it is also where one\.txt would be written; select one of them\. No file was written\./,
    );
    assert.deepEqual(listing(), before);

    // Decrypt them all back over the originals (one confirmation for the three).
    const originals = files.map((f) => fs.readFileSync(f));
    files.forEach((f) => fs.writeFileSync(f, 'stale'));
    prompter.answerInput('file.overwrite', 'Replace');
    const encrypted = files.map((f) => vscode.Uri.file(`${f}.encrypted`));
    await vscode.commands.executeCommand('kmsExplorer.decryptFile', encrypted[0], encrypted);
    assert.match(
      prompter.lastMessage()!.text,
      /^Decrypted one\.txt\.encrypted, two\.txt\.encrypted and three\.txt\.encrypted to 3 files\.$/,
    );
    files.forEach((f, i) => assert.ok(fs.readFileSync(f).equals(originals[i]), f));

    // One of them not an Encryption SDK message: the whole selection is refused, nothing written.
    files.forEach((f) => fs.rmSync(f));
    const plain = path.join(tmp, 'plain.bin');
    fs.writeFileSync(plain, 'not a message');
    await vscode.commands.executeCommand('kmsExplorer.decryptFile', encrypted[0], [
      encrypted[0],
      vscode.Uri.file(plain),
    ]);
    assert.match(
      prompter.lastMessage()!.text,
      /plain\.bin is not an AWS Encryption SDK message.*No file was written\.$/,
    );
    assert.deepEqual(
      files.filter((f) => fs.existsSync(f)),
      [],
      'no output for any file',
    );
    assert.ok(!fs.existsSync(`${plain}.decrypted`));

    // A failure part-way: the files done before stay, the failing one and those after get nothing.
    const temp = (await client.send(new CreateKeyCommand({ Description: 'batch, disabled' }))).KeyMetadata!;
    fs.writeFileSync(
      encrypted[1].fsPath,
      await esdk(['encrypt', temp.Arn!], Buffer.from('under a key that will be disabled')),
    );
    await client.send(new DisableKeyCommand({ KeyId: temp.KeyId }));
    await vscode.commands.executeCommand('kmsExplorer.decryptFile', encrypted[0], encrypted);
    assert.match(
      prompter.lastMessage()!.text,
      /^The key [\w-]+ is disabled\. Stopped at two\.txt\.encrypted: no file was written for it\. one\.txt was written before and stays\./,
    );
    assert.deepEqual(
      files.map((f) => fs.existsSync(f)),
      [true, false, false],
    );
  });

  it('Decrypt File with a disabled key or a context the file lacks writes nothing', async () => {
    const temp = (await client.send(new CreateKeyCommand({ Description: 'file, disabled' }))).KeyMetadata!;
    const file = path.join(tmp, 'data.bin');
    fs.writeFileSync(file, Buffer.alloc(200_000, 7));
    const message = await esdk(['encrypt', temp.Arn!, 'env=dev'], fs.readFileSync(file));
    fs.writeFileSync(path.join(tmp, 'data.bin.encrypted'), message);
    fs.rmSync(file);
    await config().update('encryptionContext', { env: 'prod' }, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand(
      'kmsExplorer.decryptFile',
      vscode.Uri.file(path.join(tmp, 'data.bin.encrypted')),
    );
    assert.match(prompter.lastMessage()!.text, /does not contain env=prod.*No file was written\./);
    await config().update('encryptionContext', undefined, vscode.ConfigurationTarget.Global);
    await client.send(new DisableKeyCommand({ KeyId: temp.KeyId }));
    await vscode.commands.executeCommand(
      'kmsExplorer.decryptFile',
      vscode.Uri.file(path.join(tmp, 'data.bin.encrypted')),
    );
    assert.match(prompter.lastMessage()!.text, /^The key [\w-]+ is disabled\. No file was written\./);
    assert.deepEqual(
      fs.readdirSync(tmp).filter((f) => f.startsWith('data.bin')),
      ['data.bin.encrypted'],
    );
  });

  it('recognises ciphertext: a Decrypt CodeLens and a hover (format, suite, context; after a decrypt the key); off by the setting', async () => {
    const raw = b64(
      (await client.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('lens me') }))).CiphertextBlob!,
    );
    const sdk = (await esdk(['encrypt', keyArn, 'purpose=hover'], Buffer.from('hover me'))).toString('base64');
    const editor = await openDocument(
      `# config\npassword: ${raw}\nnot ciphertext: ${'QUJD'.repeat(40)}\ntoken: ${sdk}\n`,
    );
    const uri = editor.document.uri;
    const lensesFor = async () =>
      ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? []).filter(
        (l) => l.command?.command === 'kmsExplorer.decryptCiphertextAt',
      );
    const lenses = await lensesFor();
    assert.deepEqual(
      lenses.map((l) => l.range.start.line),
      [1, 3],
    );
    assert.ok(lenses.every((l) => /Decrypt/.test(l.command!.title)));

    const hoverText = async (line: number, character: number) => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        uri,
        new vscode.Position(line, character),
      );
      return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    };
    const sdkHover = await hoverText(3, 20);
    assert.match(sdkHover, /AWS Encryption SDK message/);
    assert.match(sdkHover, /AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384/);
    assert.match(sdkHover, /purpose=hover/);
    assert.ok(sdkHover.includes(keyArn));
    const rawHover = await hoverText(1, 20);
    assert.match(rawHover, /KMS ciphertext blob/);
    assert.doesNotMatch(rawHover, /Decrypted in this session/);

    // The lens's command decrypts that ciphertext; after an undo the hover names the key.
    const lens = lenses[0];
    await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
    assert.equal(editor.document.lineAt(1).text, 'password: lens me');
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.lineAt(1).text, `password: ${raw}`);
    const after = await hoverText(1, 20);
    assert.match(after, new RegExp(`Decrypted in this session with ${alias.replace(/[/-]/g, (c) => `\\\\?\\${c}`)}`));

    await config().update('recognition.enabled', false, vscode.ConfigurationTarget.Global);
    assert.deepEqual(await lensesFor(), [], 'no lenses when recognition is off');
    await config().update('recognition.enabled', undefined, vscode.ConfigurationTarget.Global);
    assert.equal((await lensesFor()).length, 2, 'back on');
    await config().update('recognition.maxDocumentSize', 1000, vscode.ConfigurationTarget.Global);
    assert.deepEqual(await lensesFor(), [], 'a document over the size limit is not scanned');
  });
});
