// The multi-Region tests' sandbox: an injected clock (Creating and Updating end when it passes the replication
// delay), one client per Region, restarts on the same folder.
import { DescribeKeyCommand, KMSClient, type KeyMetadata } from '@aws-sdk/client-kms';
import { clientFor, startTestSandbox, type TestSandbox } from '../../support/sandbox';

export const REPLICATION_DELAY_S = 2;

export interface MultiRegionSandbox {
  readonly t: TestSandbox;
  now: () => number;
  advance: (ms: number) => void;
  /** Past the replication delay: Creating and Updating keys are done at the next request. */
  settle: () => void;
  kms: (region: string) => KMSClient;
  meta: (region: string, keyId: string) => Promise<KeyMetadata>;
  /** Closes every client. */
  closeClients: () => void;
  /** Closes the sandbox and starts it again on the same folder. */
  restart: () => Promise<void>;
}

/** Mocha hooks for a suite: the sandbox before its tests, stopped and removed after. */
export function useMultiRegionSandbox(): MultiRegionSandbox {
  let t: TestSandbox | undefined;
  let clock = Date.UTC(2026, 0, 1);
  const clients = new Map<string, KMSClient>();
  const m: MultiRegionSandbox = {
    get t() {
      if (!t) throw new Error('the sandbox is not started');
      return t;
    },
    now: () => clock,
    advance: (ms) => void (clock += ms),
    settle: () => void (clock += REPLICATION_DELAY_S * 1000 + 1),
    kms: (region) => {
      let c = clients.get(region);
      if (!c) clients.set(region, (c = clientFor({ ...m.t.sandbox, region })));
      return c;
    },
    meta: async (region, keyId) => (await m.kms(region).send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!,
    closeClients: () => {
      for (const c of clients.values()) c.destroy();
      clients.clear();
    },
    restart: async () => {
      m.closeClients();
      await m.t.restart();
    },
  };
  before(async () => {
    t = await startTestSandbox({ now: () => clock, replicationDelaySeconds: REPLICATION_DELAY_S });
  });
  after(async () => {
    m.closeClients();
    await t?.stop();
  });
  return m;
}
