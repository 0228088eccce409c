// "KMS: Open Sandbox Terminal": an integrated terminal whose environment points AWS clients (AWS CLI v2,
// SDKs) at the running embedded sandbox — its credentials, region and endpoint — so `aws kms …` works
// against the same keys the extension shows. The credentials are in the environment only: never
// printed, logged or shown. Offered on the Keys view's title when the connection is the sandbox.
import * as vscode from 'vscode';
import { CommandIds } from '../ui/commandIds';
import type { Services } from '../ui/services';

export async function openSandboxTerminal(services: Services): Promise<vscode.Terminal | undefined> {
  if (services.connections.config.connection !== 'sandbox') {
    const use = 'Use Local Sandbox';
    const chosen = await services.prompter.message(
      'warning',
      'The sandbox terminal needs the local sandbox connection; KMS Explorer is connected to AWS.',
      use,
    );
    if (chosen === use) await vscode.commands.executeCommand(CommandIds.useSandbox);
    return undefined;
  }
  const { connection } = await services.connections.get();
  const settings = connection.settings;
  if (settings.kind !== 'sandbox') throw new Error('The connection is not the sandbox.');
  const { sandboxEnvironment, sandboxTerminalBanner } = await import('../kms/sandboxEnv');
  const terminal = vscode.window.createTerminal({
    name: 'KMS Sandbox',
    iconPath: new vscode.ThemeIcon('beaker'),
    env: sandboxEnvironment(settings),
    message: sandboxTerminalBanner(settings),
  });
  terminal.show();
  services.log.info(`Opened a sandbox terminal for ${settings.endpoint}.`);
  return terminal;
}
