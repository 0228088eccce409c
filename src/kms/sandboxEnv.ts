// The environment a shell needs to talk to the embedded sandbox with any AWS client (AWS CLI v2, SDKs):
// the sandbox's credentials (its root's, or a principal's with a session token), its region, and its endpoint (AWS_ENDPOINT_URL_KMS, which CLI v2 and
// current SDKs read, and KMS_SANDBOX_ENDPOINT for --endpoint-url). Variables that would make a client use
// other credentials or another endpoint are removed (null). Plain data: never print or log the result.

export interface SandboxEndpoint {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** A role session's token (acting as a role); absent for long-term keys. */
  sessionToken?: string;
}

export function sandboxEnvironment(s: SandboxEndpoint): Record<string, string | null> {
  return {
    AWS_ACCESS_KEY_ID: s.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s.secretAccessKey,
    AWS_REGION: s.region,
    AWS_DEFAULT_REGION: s.region,
    AWS_ENDPOINT_URL_KMS: s.endpoint,
    KMS_SANDBOX_ENDPOINT: s.endpoint,
    // A session token, profile or general endpoint from the parent environment would win or mismatch.
    AWS_SESSION_TOKEN: s.sessionToken ?? null,
    AWS_SECURITY_TOKEN: null,
    AWS_PROFILE: null,
    AWS_DEFAULT_PROFILE: null,
    AWS_ENDPOINT_URL: null,
  };
}

/** What the terminal prints first: where the sandbox is and how to reach it; nothing secret. */
export function sandboxTerminalBanner(s: Pick<SandboxEndpoint, 'endpoint' | 'region'>): string {
  return [
    `KMS sandbox at ${s.endpoint} (region ${s.region}): the same sandbox KMS Explorer uses.`,
    'AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION and AWS_ENDPOINT_URL_KMS (AWS CLI 2.13+ and current SDKs) are set in this terminal.',
    'Try: aws kms list-keys --endpoint-url "$KMS_SANDBOX_ENDPOINT"',
  ].join('\r\n');
}
