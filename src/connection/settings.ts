// The connection settings (kmsExplorer.connection/profile/region/endpoint/sandbox.demoKeys/sandbox.actAs): reading
// them, writing them back to the scope that already defines them, and a short label for the status bar.
import * as vscode from 'vscode';

export const SECTION = 'kmsExplorer';

export type ConnectionKind = 'aws' | 'sandbox';

export interface ConnectionConfig {
  connection: ConnectionKind;
  profile: string;
  region: string;
  endpoint: string;
  sandboxDemoKeys: boolean;
  /** "role/NAME" or "user/NAME": the sandbox principal to act as; empty = the sandbox's root. */
  sandboxActAs: string;
}

export function readConnectionConfig(): ConnectionConfig {
  const config = vscode.workspace.getConfiguration(SECTION);
  return {
    connection: config.get<string>('connection') === 'sandbox' ? 'sandbox' : 'aws',
    profile: (config.get<string>('profile') ?? '').trim(),
    region: (config.get<string>('region') ?? '').trim(),
    endpoint: (config.get<string>('endpoint') ?? '').trim(),
    sandboxDemoKeys: config.get<boolean>('sandbox.demoKeys') ?? true,
    sandboxActAs: (config.get<string>('sandbox.actAs') ?? '').trim(),
  };
}

/** True when a configuration change touches the connection. */
export function affectsConnection(event: vscode.ConfigurationChangeEvent): boolean {
  return ['connection', 'profile', 'region', 'endpoint', 'sandbox.demoKeys', 'sandbox.actAs'].some((k) =>
    event.affectsConfiguration(`${SECTION}.${k}`),
  );
}

/**
 * Writes settings where they take effect: a workspace folder or workspace value would shadow a
 * user value, so update the most specific scope that already defines the key, else the user settings.
 */
export async function writeConnectionSettings(
  values: Partial<Record<'connection' | 'profile' | 'region' | 'endpoint' | 'sandbox.actAs', string>>,
): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION);
  for (const [key, value] of Object.entries(values)) {
    const inspected = config.inspect(key);
    const target =
      inspected?.workspaceFolderValue !== undefined
        ? vscode.ConfigurationTarget.WorkspaceFolder
        : inspected?.workspaceValue !== undefined
          ? vscode.ConfigurationTarget.Workspace
          : vscode.ConfigurationTarget.Global;
    await config.update(key, value, target);
  }
}

/** Label from the settings alone (before connecting): "KMS sandbox", "dev · eu-west-1", "default credentials". */
export function settingsLabel(config: ConnectionConfig): string {
  if (config.connection === 'sandbox')
    return config.sandboxActAs ? `KMS sandbox · ${config.sandboxActAs}` : 'KMS sandbox';
  return [config.profile || 'default credentials', config.region].filter(Boolean).join(' · ');
}
