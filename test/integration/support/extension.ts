// The integration suites' fixture: the activated extension, an SDK client on its sandbox, a fresh ScriptedPrompter per test.
import * as vscode from 'vscode';
import { CreateKeyCommand, type CreateKeyCommandInput, type KMSClient } from '@aws-sdk/client-kms';
import type { ExtensionApi } from '../../../src/extension';
import { sandboxClient } from './sandboxClient';
import { ScriptedPrompter } from './scriptedPrompter';

export const EXTENSION_ID = 'kms-explorer.kms-explorer';

/** Activates the extension and returns its API. */
export async function activateExtension(): Promise<ExtensionApi> {
  const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed`);
  return ext.activate();
}

export interface ExtensionFixture {
  api: ExtensionApi;
  client: KMSClient;
  /** The Prompter installed for the current test (undefined in before/after hooks). */
  prompter: ScriptedPrompter;
}

/**
 * Registers the suite's hooks (call it first in a describe, so the suite's own before hooks run after it):
 * activation and a client before all tests, a fresh ScriptedPrompter installed for each test and removed
 * after it, the client destroyed at the end. `bind` gets the fixture after activation and again for each test.
 */
export function useExtension(bind: (fixture: ExtensionFixture) => void): void {
  const fixture = {} as ExtensionFixture;
  before(async () => {
    fixture.api = await activateExtension();
    fixture.client = await sandboxClient(fixture.api);
    bind(fixture);
  });
  beforeEach(() => {
    fixture.prompter = new ScriptedPrompter();
    fixture.api.setPrompter(fixture.prompter);
    bind(fixture);
  });
  afterEach(() => fixture.api.setPrompter(undefined));
  after(() => fixture.client?.destroy());
}

export async function newKey(client: KMSClient, input: CreateKeyCommandInput = {}): Promise<string> {
  return (await client.send(new CreateKeyCommand(input))).KeyMetadata!.KeyId!;
}
