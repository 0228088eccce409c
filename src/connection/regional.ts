// Several Regions from one connection: which Regions the views show (chosen with "KMS: Show Regions…",
// remembered per connection in the global state; the connection's own Region when none were chosen),
// and one KMS client and KeyCatalog per Region, made on first use from the connection's credentials
// and endpoint and dropped with the connection.
import type * as vscode from 'vscode';
import { loadKms } from '../kms/load';
import type { KeyCatalog } from '../kms/catalog';
import type { KmsConnection } from '../kms/connection';
import type { ConnectionConfig } from './settings';

const STATE_KEY = 'kmsExplorer.shownRegions';

export interface RegionalConnection {
  readonly connection: KmsConnection;
  readonly catalog: KeyCatalog;
}

/** Which connection the chosen Regions belong to: the sandbox, or a profile (and endpoint). */
export function connectionIdentity(config: ConnectionConfig): string {
  return config.connection === 'sandbox' ? 'sandbox' : `aws:${config.profile}:${config.endpoint}`;
}

/** The Regions chosen per connection identity. */
export class ShownRegions {
  constructor(private readonly state: vscode.Memento) {}

  /** The chosen Regions of this connection, else only `home` (the connection's Region). */
  get(config: ConnectionConfig, home: string): string[] {
    const chosen = this.all()[connectionIdentity(config)];
    return Array.isArray(chosen) && chosen.length > 0 && chosen.every((r) => typeof r === 'string') ? chosen : [home];
  }

  async set(config: ConnectionConfig, regions: readonly string[]): Promise<void> {
    await this.state.update(STATE_KEY, { ...this.all(), [connectionIdentity(config)]: [...regions] });
  }

  private all(): Record<string, unknown> {
    const value = this.state.get<unknown>(STATE_KEY);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  }
}

/** One connection's clients and catalogs for Regions other than its own, made on first use. */
export class RegionalClients {
  private readonly byRegion = new Map<string, Promise<RegionalConnection>>();

  constructor(private readonly home: RegionalConnection) {}

  get(region: string): Promise<RegionalConnection> {
    if (region === this.home.connection.region) return Promise.resolve(this.home);
    let regional = this.byRegion.get(region);
    if (!regional) {
      regional = loadKms().then((kms) => {
        const connection = kms.regions.regionConnection(this.home.connection, region);
        return { connection, catalog: new kms.KeyCatalog(connection.client) };
      });
      this.byRegion.set(region, regional);
    }
    return regional;
  }

  dispose(): void {
    for (const regional of this.byRegion.values()) void regional.then((r) => r.connection.dispose());
    this.byRegion.clear();
  }
}
