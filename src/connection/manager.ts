// ConnectionManager: the one place that knows the current KMS connection. Connects lazily on first
// use (the kms layer and the SDK are loaded with loadKms() then, not at activation), starts the
// embedded sandbox inside the extension host for the `sandbox` connection, classifies failures
// (no credentials → welcome content; anything else → an error in the tree), keeps the context keys
// kmsExplorer.connected / kmsExplorer.noCredentials / kmsExplorer.connectionKind up to date, and
// reconnects when the settings change.
import * as vscode from 'vscode';
import { loadKms } from '../kms/load';
import type { KeyCatalog } from '../kms/catalog';
import type { KmsConnection } from '../kms/connection';
import { explainKmsError } from '../kms/errors';
import { parsePrincipalRef } from '../kms/principalRef';
import { RegionalClients, ShownRegions } from './regional';
import { affectsConnection, readConnectionConfig, settingsLabel, type ConnectionConfig } from './settings';

export interface ActiveConnection {
  readonly connection: KmsConnection;
  readonly catalog: KeyCatalog;
}

export type ConnectionState =
  | { status: 'idle' }
  | { status: 'connecting' }
  | ({ status: 'connected' } & ActiveConnection)
  | { status: 'noCredentials'; error: unknown }
  | { status: 'error'; error: unknown };

/** Errors that mean "set up a connection" rather than "something broke". */
const SETUP_ERRORS = new Set([
  'CredentialsProviderError',
  'TokenProviderError',
  'MissingRegionError',
  'ExpiredTokenException',
]);

/** The embedded sandbox as the manager uses it (src/sandbox/index.ts). */
interface RunningSandbox {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
  close(): Promise<void>;
}

export class ConnectionManager implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<ConnectionState>();
  /** Fires whenever the state changes (connecting, connected, failed, settings changed). */
  readonly onDidChange = this.changeEmitter.event;
  private current: ConnectionState = { status: 'idle' };
  private pending: Promise<ActiveConnection> | undefined;
  private generation = 0;
  private sandbox: Promise<RunningSandbox> | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** The connected connection's clients for its other Regions. */
  private regional: RegionalClients | undefined;
  private readonly shown: ShownRegions;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      this.changeEmitter,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affectsConnection(e)) {
          this.log.info(`Connection settings changed: ${settingsLabel(readConnectionConfig())}`);
          void this.reset();
        }
      }),
    );
    this.shown = new ShownRegions(context.globalState);
    void this.updateContextKeys();
  }

  get state(): ConnectionState {
    return this.current;
  }

  get config(): ConnectionConfig {
    return readConnectionConfig();
  }

  /** The connection, connecting first if needed. Rejects with the connect error (credentials, region, sandbox start). */
  get(): Promise<ActiveConnection> {
    if (this.current.status === 'connected') return Promise.resolve(this.current);
    this.pending ??= this.connect(++this.generation);
    return this.pending;
  }

  /** Like get(), but resolves to the state instead of rejecting. */
  async tryGet(): Promise<ConnectionState> {
    try {
      await this.get();
    } catch {
      // the state says what went wrong
    }
    return this.current;
  }

  /** The connection's client and catalog for `region` (the connection itself for its own Region or none). */
  async forRegion(region?: string): Promise<ActiveConnection> {
    const home = await this.get();
    if (!region || region === home.connection.region) return home;
    this.regional ??= new RegionalClients(home);
    return this.regional.get(region);
  }

  /** The Regions the views show, the connection's own when none were chosen (connects first). */
  async shownRegions(): Promise<string[]> {
    const home = await this.get();
    return this.shown.get(this.config, home.connection.region);
  }

  /** Remembers the Regions to show for this connection. */
  async setShownRegions(regions: readonly string[]): Promise<void> {
    await this.shown.set(this.config, regions);
  }

  /** Drops the current connection (and stops the sandbox when no longer selected); the next get() reconnects. */
  async reset(): Promise<void> {
    this.generation++;
    this.pending = undefined;
    const previous = this.current;
    this.setState({ status: 'idle' });
    this.regional?.dispose();
    this.regional = undefined;
    if (previous.status === 'connected') previous.connection.dispose();
    if (this.sandbox && this.config.connection !== 'sandbox') await this.stopSandbox();
  }

  dispose(): void {
    this.generation++;
    this.regional?.dispose();
    if (this.current.status === 'connected') this.current.connection.dispose();
    for (const d of this.disposables) d.dispose();
  }

  /** The embedded sandbox's endpoint and root credentials when it runs; never starts it. */
  async runningSandbox(): Promise<ReturnType<typeof pickSandboxSettings> | undefined> {
    if (!this.sandbox) return undefined;
    return this.sandbox.then(pickSandboxSettings, () => undefined);
  }

  /** Stops the embedded sandbox if it runs (deactivate awaits this). */
  async stopSandbox(): Promise<void> {
    const running = this.sandbox;
    this.sandbox = undefined;
    if (!running) return;
    try {
      await (await running).close();
      this.log.info('KMS sandbox stopped.');
    } catch (err) {
      this.log.warn(`KMS sandbox did not stop cleanly: ${explainKmsError(err).summary}`);
    }
  }

  private async connect(generation: number): Promise<ActiveConnection> {
    const config = this.config;
    this.setState({ status: 'connecting' });
    try {
      const kms = await loadKms();
      let connection: KmsConnection;
      if (config.connection === 'sandbox') {
        const sandbox = await this.startSandbox(config);
        const actAs = parsePrincipalRef(config.sandboxActAs);
        connection = await kms.connect(
          { kind: 'sandbox', ...pickSandboxSettings(sandbox), actAs },
          { secrets: this.context.secrets },
        );
        if (actAs) await connection.checkCredentials();
      } else {
        connection = await kms.connect({
          kind: 'aws',
          profile: config.profile,
          region: config.region,
          endpoint: config.endpoint,
        });
        await connection.checkCredentials();
      }
      if (generation !== this.generation) {
        connection.dispose();
        return this.get();
      }
      const active: ActiveConnection = { connection, catalog: new kms.KeyCatalog(connection.client) };
      this.log.info(
        `Connected: ${connection.label}${config.endpoint && config.connection === 'aws' ? ` (endpoint ${config.endpoint})` : ''}`,
      );
      this.setState({ status: 'connected', ...active });
      return active;
    } catch (error) {
      if (generation === this.generation) {
        this.pending = undefined;
        const explained = explainKmsError(error);
        this.log.warn(
          `Could not connect (${settingsLabel(config)}): ${explained.code}: ${explained.summary}${explained.detail ? ` ${explained.detail}` : ''}`,
        );
        this.setState(
          SETUP_ERRORS.has(explained.code) ? { status: 'noCredentials', error } : { status: 'error', error },
        );
      }
      throw error;
    }
  }

  private startSandbox(config: ConnectionConfig): Promise<RunningSandbox> {
    this.sandbox ??= (async () => {
      const { startSandbox } = await import('../sandbox/index');
      const dataDir = vscode.Uri.joinPath(this.context.globalStorageUri, 'sandbox').fsPath;
      const running = await startSandbox({
        dataDir,
        port: 0,
        seedDemoKeys: config.sandboxDemoKeys,
        log: (line: string) => this.log.debug(`[sandbox] ${line}`),
      });
      this.log.info(`KMS sandbox listening on ${running.endpoint} (data in ${dataDir}).`);
      return running;
    })();
    this.sandbox.catch(() => (this.sandbox = undefined));
    return this.sandbox;
  }

  private setState(state: ConnectionState): void {
    this.current = state;
    void this.updateContextKeys();
    this.changeEmitter.fire(state);
  }

  private async updateContextKeys(): Promise<void> {
    const s = this.current.status;
    await vscode.commands.executeCommand('setContext', 'kmsExplorer.connected', s === 'connected');
    await vscode.commands.executeCommand('setContext', 'kmsExplorer.noCredentials', s === 'noCredentials');
    await vscode.commands.executeCommand('setContext', 'kmsExplorer.connectionKind', this.config.connection);
  }
}

function pickSandboxSettings(s: RunningSandbox) {
  return {
    endpoint: s.endpoint,
    region: s.region,
    accessKeyId: s.accessKeyId,
    secretAccessKey: s.secretAccessKey,
    accountId: s.accountId,
  };
}
