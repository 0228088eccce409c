// Multi-Region keys under kill -9: the bundled dist/sandbox.js is killed at seeded random moments while clients
// replicate keys, change their primary Region, rotate them and encrypt in every Region; after each restart every
// Region's copy of a key agrees (primary, replicas, key material) and every acknowledged ciphertext decrypts in
// every Region that holds the key.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  KMSClient,
  ReplicateKeyCommand,
  RotateKeyOnDemandCommand,
  UpdatePrimaryRegionCommand,
  type KeyMetadata,
} from '@aws-sdk/client-kms';
import { bundleSandboxCli, killAll } from '../../support/cliBundle';
import { seeded } from '../../support/seeded';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-1', 'sa-east-1'];
const ROUNDS = 8;

interface Info {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
}

describe('sandbox: multi-Region keys under kill -9', function () {
  this.timeout(240_000);
  let work: string;
  let cli: string;
  const children: ChildProcess[] = [];

  before(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'kms-sandbox-mrk-crash-'));
    cli = path.join(work, 'sandbox.js');
    await bundleSandboxCli(cli);
  });
  after(async () => {
    killAll(children);
    await rm(work, { recursive: true, force: true });
  });

  async function start(dataDir: string): Promise<{ child: ChildProcess; info: Info }> {
    const child = spawn(
      process.execPath,
      [cli, '--port', '0', '--data-dir', dataDir, '--quiet', '--replication-delay-seconds', '0'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(child);
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`sandbox exited (${code}): ${err}`)));
    });
    return { child, info: JSON.parse(line) as Info };
  }

  const clientsFor = (info: Info) =>
    new Map(
      REGIONS.map((region) => [
        region,
        new KMSClient({
          endpoint: info.endpoint,
          region,
          maxAttempts: 1,
          credentials: { accessKeyId: info.accessKeyId, secretAccessKey: info.secretAccessKey },
        }),
      ]),
    );

  /** Each Region's copy of the key (undefined where it has none). */
  async function copies(kms: Map<string, KMSClient>, keyId: string): Promise<Map<string, KeyMetadata>> {
    const out = new Map<string, KeyMetadata>();
    for (const [region, c] of kms) {
      try {
        out.set(region, (await c.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!);
      } catch (err) {
        if ((err as Error).name !== 'NotFoundException') throw err;
      }
    }
    return out;
  }

  it('refuses a --replication-delay-seconds that is not a number of seconds from 0', async () => {
    for (const bad of ['-1', 'soon', '']) {
      const child = spawn(process.execPath, [cli, `--replication-delay-seconds=${bad}`], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      assert.equal(code, 2, bad);
      assert.match(err, /--replication-delay-seconds must be a number of seconds from 0/, bad);
    }
  });

  it('every Region agrees after each crash, and every acknowledged ciphertext decrypts everywhere', async () => {
    const random = seeded(Number(process.env.KMS_CRASH_SEED ?? 0x16)); // the same moments every run
    const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
    const dataDir = path.join(work, 'data');
    const blobs = new Map<string, Array<{ blob: Uint8Array; text: string }>>();
    let keys: string[] = [];
    const acked = { replicated: 0, moved: 0, rotated: 0 };
    for (let round = 0; round <= ROUNDS; round++) {
      const { child, info } = await start(dataDir);
      const kms = clientsFor(info);
      // What the last round left: one primary per key, every copy listing the same replicas and material.
      for (const keyId of keys) {
        const all = await copies(kms, keyId);
        const primaries = [...all].filter(([, m]) => m.MultiRegionConfiguration!.MultiRegionKeyType === 'PRIMARY');
        assert.equal(primaries.length, 1, `${keyId} in round ${round}: one primary, not ${primaries.length}`);
        const [primaryRegion] = primaries[0];
        for (const [region, m] of all) {
          const config = m.MultiRegionConfiguration!;
          assert.equal(config.PrimaryKey!.Region, primaryRegion, `${keyId} in ${region}`);
          assert.deepEqual(
            config.ReplicaKeys!.map((r) => r.Region).sort(),
            [...all.keys()].filter((r) => r !== primaryRegion).sort(),
            `${keyId} in ${region}`,
          );
          assert.equal(m.CurrentKeyMaterialId, primaries[0][1].CurrentKeyMaterialId, `${keyId} in ${region}`);
        }
        for (const { blob, text } of blobs.get(keyId) ?? [])
          for (const region of all.keys()) {
            const out = await kms.get(region)!.send(new DecryptCommand({ CiphertextBlob: blob }));
            assert.equal(Buffer.from(out.Plaintext!).toString(), text, `${keyId} in ${region}`);
          }
      }
      if (round === ROUNDS) {
        child.kill('SIGTERM');
        break;
      }
      if (keys.length === 0)
        keys = await Promise.all(
          [0, 1, 2].map(async () => {
            const id = (await kms.get('us-east-1')!.send(new CreateKeyCommand({ MultiRegion: true }))).KeyMetadata!
              .KeyId!;
            blobs.set(id, []);
            return id;
          }),
        );
      let stop = false;
      const worker = async (w: number) => {
        for (let i = 0; !stop; i++) {
          const keyId = keys[w % keys.length];
          try {
            const all = await copies(kms, keyId);
            const primary = [...all].find(([, m]) => m.MultiRegionConfiguration!.MultiRegionKeyType === 'PRIMARY');
            if (!primary) continue;
            const roll = random();
            if (roll < 0.3) {
              await kms.get(primary[0])!.send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: pick(REGIONS) }));
              acked.replicated++;
            } else if (roll < 0.5) {
              await kms
                .get(primary[0])!
                .send(new UpdatePrimaryRegionCommand({ KeyId: keyId, PrimaryRegion: pick(REGIONS) }));
              acked.moved++;
            } else if (roll < 0.6) {
              await kms.get(primary[0])!.send(new RotateKeyOnDemandCommand({ KeyId: keyId }));
              acked.rotated++;
            } else {
              const region = pick([...all.keys()]);
              const text = `${round}-${w}-${i}`;
              const out = await kms
                .get(region)!
                .send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(text) }));
              blobs.get(keyId)!.push({ blob: out.CiphertextBlob!, text });
            }
          } catch (err) {
            if (child.exitCode !== null || child.signalCode !== null) return; // the process is gone
            // Refusals a racing client meets (already replicated, Updating, Creating, the rotation limit) are fine.
            if (!/Exception$/.test((err as Error).name)) return;
          }
        }
      };
      const workers = Array.from({ length: 6 }, (_, w) => worker(w));
      await new Promise((r) => setTimeout(r, 100 + Math.floor(random() * 600)));
      child.kill('SIGKILL');
      stop = true;
      await Promise.all(workers);
      for (const c of kms.values()) c.destroy();
    }
    assert.ok(
      [...blobs.values()].some((b) => b.length > 0),
      'ciphertexts were acknowledged under load',
    );
  });
});
