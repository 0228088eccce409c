import * as assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateKeyCommand, DescribeKeyCommand, GenerateRandomCommand } from '@aws-sdk/client-kms';
import { isAnswered, respond } from '../../../src/sandbox/respond';
import { useSandbox, type TestSandbox } from '../../support/sandbox';

/** GET / on `server`: status and body. */
function get(server: Server): Promise<{ status: number; body: string }> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('sandbox: answers go out at the end of the turn (respond.ts)', function () {
  this.timeout(60_000);

  it('sends the first answer once; a second answer to the same request is dropped', async () => {
    const seen: boolean[] = [];
    const server = createServer((_req, res) => {
      seen.push(isAnswered(res));
      respond(res, 200, { 'Content-Type': 'text/plain' }, 'first');
      seen.push(res.headersSent, isAnswered(res)); // queued: not written yet, but answered
      respond(res, 500, { 'Content-Type': 'text/plain' }, 'second');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      assert.deepEqual(await get(server), { status: 200, body: 'first' });
      assert.deepEqual(seen, [false, false, true]);
    } finally {
      server.close();
    }
  });

  describe('against the sandbox', () => {
    let t: TestSandbox;
    useSandbox((started) => {
      t = started;
    });

    it('many requests answered in the same turns each get their own answer', async () => {
      const keyIds = await Promise.all(
        [0, 1, 2].map(async () => (await t.client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!),
      );
      const calls = Array.from({ length: 90 }, (_, i) => i);
      const answers = await Promise.all(
        calls.map(async (i) =>
          i % 2
            ? (await t.client.send(new DescribeKeyCommand({ KeyId: keyIds[i % 3] }))).KeyMetadata?.KeyId
            : (await t.client.send(new GenerateRandomCommand({ NumberOfBytes: 1 + (i % 64) }))).Plaintext?.length,
        ),
      );
      assert.deepEqual(
        answers,
        calls.map((i) => (i % 2 ? keyIds[i % 3] : 1 + (i % 64))),
      );
    });
  });
});
