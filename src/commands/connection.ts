// "KMS: Select Connection" (QuickPick: the local sandbox, the sandbox as each of its roles and users when it
// runs, every profile in the AWS config files, the default credential chain) and "KMS: Use Local Sandbox".
// They write the settings; the connection manager reacts to the change.
import * as vscode from 'vscode';
import { explainKmsError } from '../kms/errors';
import { loadKms } from '../kms/load';
import { writeConnectionSettings } from '../connection/settings';
import type { PickItem } from '../ui/prompter';
import { isRegionName } from '../ui/regionTarget';
import type { Services } from '../ui/services';

type Choice =
  | { kind: 'sandbox'; actAs?: string }
  | { kind: 'profile'; profile: string }
  | { kind: 'default' }
  | { kind: 'settings' };

export async function selectConnection(services: Services): Promise<void> {
  const config = services.connections.config;
  const items = (async (): Promise<PickItem<Choice>[]> => {
    const { listProfiles } = (await loadKms()).connection;
    const profiles = await listProfiles().catch((err: unknown) => {
      services.log.warn(`Could not read the AWS config files: ${err instanceof Error ? err.message : String(err)}`);
      return [] as string[];
    });
    const current = (c: boolean) => (c ? ' $(check)' : '');
    const sandboxAs = config.connection === 'sandbox' ? config.sandboxActAs : undefined;
    const list: PickItem<Choice>[] = [
      {
        label: `$(beaker) Local KMS sandbox${current(sandboxAs === '')}`,
        description: 'no AWS account needed',
        detail: 'An embedded KMS-compatible server on 127.0.0.1, with its data in the extension storage.',
        value: { kind: 'sandbox' },
      },
      ...(await sandboxPrincipals(services)).map((name): PickItem<Choice> => ({
        label: `$(person) KMS sandbox as ${name}${current(sandboxAs === name)}`,
        description: name.startsWith('role/') ? 'sandbox role (AssumeRole)' : 'sandbox user (its access key)',
        value: { kind: 'sandbox', actAs: name },
      })),
      { label: 'AWS profiles', kind: vscode.QuickPickItemKind.Separator, value: { kind: 'default' } },
      ...profiles.map((profile): PickItem<Choice> => ({
        label: `$(account) ${profile}${current(config.connection === 'aws' && config.profile === profile)}`,
        description: 'AWS profile',
        value: { kind: 'profile', profile },
      })),
      {
        label: `$(key) Default credential chain${current(config.connection === 'aws' && !config.profile)}`,
        description: 'environment, default profile, SSO, instance role',
        value: { kind: 'default' },
      },
      { label: '', kind: vscode.QuickPickItemKind.Separator, value: { kind: 'default' } },
      { label: '$(gear) Region, endpoint and other settings…', value: { kind: 'settings' } },
    ];
    return list;
  })();
  const choice = await services.prompter.pick(items, {
    id: 'connection.select',
    title: 'KMS: Select Connection',
    placeholder: 'Where should KMS Explorer send its requests?',
    matchOnDescription: true,
  });
  if (!choice) return;
  switch (choice.kind) {
    case 'sandbox':
      return useSandbox(services, choice.actAs);
    case 'profile':
    case 'default': {
      const profile = choice.kind === 'profile' ? choice.profile : '';
      const region = await regionIfMissing(services, profile, config.region);
      if (region === null) return;
      await writeConnectionSettings({ connection: 'aws', profile, ...(region ? { region } : {}) });
      break;
    }
    case 'settings':
      await vscode.commands.executeCommand('workbench.action.openSettings', 'kmsExplorer');
      return;
  }
  await services.connections.reset();
}

/** Connects to the sandbox, as `actAs` ("role/NAME", "user/NAME") or as its root (a string from the palette is ignored). */
export async function useSandbox(services: Services, actAs?: unknown): Promise<void> {
  const principal = typeof actAs === 'string' ? actAs : '';
  const changeActAs = principal !== services.connections.config.sandboxActAs;
  await writeConnectionSettings({ connection: 'sandbox', ...(changeActAs ? { 'sandbox.actAs': principal } : {}) });
  await services.connections.reset();
}

/** "role/App", "user/bob", … of the running sandbox (nothing when it does not run or IAM fails: logged). */
async function sandboxPrincipals(services: Services): Promise<string[]> {
  const root = await services.connections.runningSandbox();
  if (!root) return [];
  const { principals } = await loadKms();
  const iam = principals.iamClient({
    endpoint: root.endpoint,
    region: root.region,
    credentials: { accessKeyId: root.accessKeyId, secretAccessKey: root.secretAccessKey },
  });
  try {
    return (await principals.listPrincipals(iam)).map((p) => principals.formatPrincipalRef(p));
  } catch (err) {
    services.log.warn(`Could not list the sandbox's roles and users: ${explainKmsError(err).summary}`);
    return [];
  } finally {
    iam.destroy();
  }
}

/**
 * When neither the setting, the profile nor the environment gives a region, ask for one.
 * Returns the region to write, undefined when none is needed, or null when the user dismissed the box.
 */
async function regionIfMissing(
  services: Services,
  profile: string,
  regionSetting: string,
): Promise<string | undefined | null> {
  const { resolveRegion } = (await loadKms()).connection;
  try {
    await resolveRegion({ profile, region: regionSetting });
    return undefined;
  } catch {
    const region = await services.prompter.input({
      id: 'connection.region',
      title: 'KMS: Select Connection',
      prompt: `No region is configured${profile ? ` for profile "${profile}"` : ''}. Which AWS region should KMS Explorer use?`,
      placeHolder: 'us-east-1',
      validateInput: (value) =>
        isRegionName(value.trim()) ? undefined : 'A region looks like us-east-1 or eu-central-2.',
    });
    return region === undefined ? null : region.trim();
  }
}
