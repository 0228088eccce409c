// For the walkthrough UI test: a KMSClient on the sandbox that the extension started inside
// code-server's extension host. Its endpoint (a random port) is in the extension's log, its
// credentials in identity.json in the extension's global storage, both under the e2e state folder
// (the parent of the workspace folder that scripts/run-e2e.mjs creates).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KMSClient } from '@aws-sdk/client-kms';

function* filesUnder(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else if (entry.isFile()) yield full;
  }
}

/**
 * Waits for the extension to have started its sandbox; returns a client on it. The newest log that
 * names an endpoint wins (a window reload restarts the extension host, and the sandbox on a new
 * port); `not` skips an endpoint known to be gone.
 */
export async function sandboxClient(
  workspace: string,
  not?: string,
  timeoutMs = 60_000,
): Promise<{ client: KMSClient; endpoint: string }> {
  const userData = path.join(path.dirname(workspace), 'user-data');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    let newest: { endpoint: string; mtime: number } | undefined;
    let identity: { accessKeyId: string; secretAccessKey: string } | undefined;
    for (const file of filesUnder(userData)) {
      if (file.endsWith('.log')) {
        const m = [
          ...fs.readFileSync(file, 'utf8').matchAll(/KMS sandbox listening on (http:\/\/127\.0\.0\.1:\d+)/g),
        ].pop();
        const mtime = fs.statSync(file).mtimeMs;
        if (m && (!newest || mtime > newest.mtime)) newest = { endpoint: m[1], mtime };
      } else if (path.basename(file) === 'identity.json' && file.includes('globalStorage')) {
        identity = JSON.parse(fs.readFileSync(file, 'utf8'));
      }
    }
    if (newest && newest.endpoint !== not && identity) {
      const credentials = { accessKeyId: identity.accessKeyId, secretAccessKey: identity.secretAccessKey };
      return {
        client: new KMSClient({ endpoint: newest.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 }),
        endpoint: newest.endpoint,
      };
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(
    `the extension's sandbox was not found under ${userData} (no new "KMS sandbox listening on" log line, or no identity.json)`,
  );
}

/** Lines of the extension host's logs (all sessions) that match. */
export function extensionLogLines(workspace: string, re: RegExp): string[] {
  const userData = path.join(path.dirname(workspace), 'user-data');
  const lines: string[] = [];
  for (const file of filesUnder(userData)) {
    if (file.endsWith('.log'))
      lines.push(
        ...fs
          .readFileSync(file, 'utf8')
          .split('\n')
          .filter((l) => re.test(l)),
      );
  }
  return lines;
}
