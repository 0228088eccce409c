// Key policy as a document: GetKeyPolicy (pretty-printed for editing), PutKeyPolicy, and what the
// document provider needs to be safe: a local JSON check with the position of the mistake (KMS's own
// MalformedPolicyDocumentException message is kept for everything else), and a comparison that says
// whether the policy changed elsewhere since it was read (by meaning, not by whitespace).
import { GetKeyPolicyCommand, PutKeyPolicyCommand, type KMSClient } from '@aws-sdk/client-kms';

/** The only key policy name KMS has. */
export const POLICY_NAME = 'default';
/** AWS's limit on a key policy: 32 KB. */
export const MAX_POLICY_BYTES = 32 * 1024;

/** The key policy as KMS stores it (the exact text). */
export async function getKeyPolicy(client: KMSClient, keyId: string, signal?: AbortSignal): Promise<string> {
  const out = await client.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: POLICY_NAME }), {
    abortSignal: signal,
  });
  if (out.Policy === undefined) throw new Error('GetKeyPolicy returned no policy.');
  return out.Policy;
}

export async function putKeyPolicy(
  client: KMSClient,
  keyId: string,
  policy: string,
  signal?: AbortSignal,
): Promise<void> {
  await client.send(new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: POLICY_NAME, Policy: policy }), {
    abortSignal: signal,
  });
}

/** The policy as the editor shows it: indented with 2 spaces, or the text unchanged if it is not JSON. */
export function formatPolicy(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2) + '\n';
  } catch {
    return text;
  }
}

/** True when two policy texts mean the same JSON (whitespace and formatting aside). */
export function samePolicy(a: string, b: string): boolean {
  return canonical(a) === canonical(b);
}

/** Why the text cannot be a key policy before asking KMS (not JSON, not an object, too large), or undefined. */
export function policyTextProblem(text: string): string | undefined {
  if (!text.trim()) return 'The key policy is empty.';
  if (Buffer.byteLength(text, 'utf8') > MAX_POLICY_BYTES)
    return `The key policy is larger than ${MAX_POLICY_BYTES / 1024} KB, the most KMS accepts.`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return `The key policy is not valid JSON: ${jsonErrorWhere(text, err)}`;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    return 'A key policy is a JSON object with "Version" and "Statement".';
  return undefined;
}

function canonical(text: string): string {
  try {
    return JSON.stringify(sortKeys(JSON.parse(text)));
  } catch {
    return text.trim();
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** "Unexpected token '}' (line 4, column 3)": V8's message without the echoed text, and where, when it says. */
function jsonErrorWhere(text: string, err: unknown): string {
  const message = (err instanceof Error ? err.message : String(err))
    .split(/, "|\n/)[0]
    .replace(/ in JSON at position \d+.*$/, '');
  const at = /position (\d+)/.exec(err instanceof Error ? err.message : '');
  if (!at) return `${message}.`;
  const before = text.slice(0, Number(at[1]));
  return `${message} (line ${before.split('\n').length}, column ${Number(at[1]) - before.lastIndexOf('\n')}).`;
}
