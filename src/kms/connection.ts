// Connections: turn connection settings into a ready KMSClient (AWS profiles/SSO/env through
// @aws-sdk/credential-providers, or the embedded sandbox's static credentials), resolve the region
// (setting, else profile, else environment), list the profiles in the shared AWS config files, and
// check that credentials resolve. Every client counts its HTTP requests (see RequestCounter). A sandbox connection
// may act as one of the sandbox's roles or users (principals.ts); every connection can say who it is (GetCallerIdentity).
import { KMSClient } from '@aws-sdk/client-kms';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { actAsCredentials, callerIdentity, type CallerIdentity, type SecretStore } from './principals';
import { formatPrincipalRef, type PrincipalRef } from './principalRef';
import { RequestCounter } from './requestCounter';

/** Where the extension's KMS requests go. */
export type ConnectionSettings =
  | {
      kind: 'aws';
      /** Profile from the shared config/credentials files; empty or undefined = the default credential chain. */
      profile?: string;
      /** Region; empty = the profile's region, else AWS_REGION / AWS_DEFAULT_REGION. */
      region?: string;
      /** Custom endpoint (LocalStack or any KMS-compatible server); empty = AWS. */
      endpoint?: string;
    }
  | {
      kind: 'sandbox';
      endpoint: string;
      region: string;
      accessKeyId: string;
      secretAccessKey: string;
      accountId?: string;
      /** Act as this role or user of the sandbox instead of its root credentials. */
      actAs?: PrincipalRef;
    };

export interface ConnectOptions {
  /** Where a sandbox user's access key is kept (SecretStorage in VS Code); memory when absent. */
  secrets?: SecretStore;
}

export interface KmsConnection {
  readonly settings: ConnectionSettings;
  readonly client: KMSClient;
  readonly region: string;
  /** Short human label: "profile · region", "default credentials · region" or "KMS sandbox". */
  readonly label: string;
  readonly requests: RequestCounter;
  /** The credentials the client signs with (the acting-as principal's on the sandbox). */
  readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** The sandbox principal the connection acts as, if any. */
  readonly actingAs?: PrincipalRef;
  /** Who the credentials are (STS GetCallerIdentity, asked once). */
  identity(): Promise<CallerIdentity>;
  /** Resolves the credentials once (cached by the SDK); throws the provider's error when none resolve. */
  checkCredentials(): Promise<void>;
  dispose(): void;
}

/** Raised when no region can be found for an AWS connection. */
export class MissingRegionError extends Error {
  override readonly name = 'MissingRegionError';
  constructor(profile: string | undefined) {
    super(
      `No AWS region is set${profile ? ` for profile "${profile}"` : ''}: set kmsExplorer.region, a region in the profile, or AWS_REGION.`,
    );
  }
}

/** Profile names found in the shared config and credentials files (sorted, unique). */
export async function listProfiles(init: { configFilepath?: string; filepath?: string } = {}): Promise<string[]> {
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ ...init, ignoreCache: true });
  const names = new Set<string>();
  // The loader strips "profile " from config sections; other section kinds keep a "kind." prefix.
  for (const key of Object.keys(configFile)) if (!/^(sso-session|services)\./.test(key)) names.add(key);
  for (const key of Object.keys(credentialsFile)) names.add(key);
  return [...names].sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : a.localeCompare(b)));
}

/** Region for an AWS connection: the setting, else the profile's region, else the environment. */
export async function resolveRegion(
  settings: { profile?: string; region?: string },
  env: NodeJS.ProcessEnv = process.env,
  init: { configFilepath?: string; filepath?: string } = {},
): Promise<string> {
  if (settings.region?.trim()) return settings.region.trim();
  const profileName = settings.profile?.trim() || env.AWS_PROFILE || 'default';
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ ...init, ignoreCache: true });
  const fromProfile = configFile[profileName]?.region ?? credentialsFile[profileName]?.region;
  const region = fromProfile || env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (!region) throw new MissingRegionError(settings.profile?.trim() || undefined);
  return region;
}

/** "KMS sandbox" (its home Region) or "KMS sandbox · eu-west-1"; "profile · region" or "default credentials · region". */
export function connectionLabel(settings: ConnectionSettings, region: string): string {
  if (settings.kind === 'sandbox') return region === settings.region ? 'KMS sandbox' : `KMS sandbox · ${region}`;
  return `${settings.profile?.trim() || 'default credentials'} · ${region}`;
}

/** Builds the client for the settings. Resolves the region first; never resolves credentials eagerly. */
export async function connect(settings: ConnectionSettings, options: ConnectOptions = {}): Promise<KmsConnection> {
  const requests = new RequestCounter();
  let client: KMSClient;
  let region: string;
  let label: string;
  let endpoint: string | undefined;
  let credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  if (settings.kind === 'sandbox') {
    region = settings.region;
    endpoint = settings.endpoint;
    label = connectionLabel(settings, region) + (settings.actAs ? ` · ${formatPrincipalRef(settings.actAs)}` : '');
    credentials = { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey };
    if (settings.actAs) {
      const accountId = settings.accountId ?? (await callerIdentity({ endpoint, region, credentials })).account;
      credentials = await actAsCredentials(
        { endpoint, region, credentials, accountId },
        settings.actAs,
        options.secrets ?? memorySecrets(),
      );
    }
    client = new KMSClient({ region, endpoint, credentials, maxAttempts: 2 });
  } else {
    const profile = settings.profile?.trim() || undefined;
    region = await resolveRegion(settings);
    label = connectionLabel(settings, region);
    endpoint = settings.endpoint?.trim() || undefined;
    credentials = fromNodeProviderChain({ profile, clientConfig: { region } });
    client = new KMSClient({ region, endpoint, credentials });
  }
  requests.attach(client);
  let identity: Promise<CallerIdentity> | undefined;
  return {
    settings,
    client,
    region,
    label,
    requests,
    credentials,
    actingAs: settings.kind === 'sandbox' ? settings.actAs : undefined,
    identity() {
      identity ??= callerIdentity({ endpoint, region, credentials: client.config.credentials });
      identity.catch(() => (identity = undefined));
      return identity;
    },
    async checkCredentials() {
      await client.config.credentials();
    },
    dispose: () => client.destroy(),
  };
}

/** A SecretStore in memory (tests, or when VS Code's SecretStorage is not given). */
export function memorySecrets(): SecretStore {
  const values = new Map<string, string>();
  return {
    get: (key) => Promise.resolve(values.get(key)),
    store: (key, value) => Promise.resolve(void values.set(key, value)),
    delete: (key) => Promise.resolve(void values.delete(key)),
  };
}
