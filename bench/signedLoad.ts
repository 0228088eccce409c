// A light load generator for the sandbox: requests are signed with the SDK's own SigV4 signer
// (@smithy/signature-v4) and re-signed every 250 ms, then sent over keep-alive HTTP, so the client
// costs little and the figure is the server's (which verifies every signature). The real SDK client
// costs more per request than the server does; bench/sandbox.ts reports that separately.
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import http from 'node:http';
import type { SandboxInfo } from '../src/sandbox';

export interface SignedRequest {
  headers: Record<string, string>;
  body: string;
}

export class SignedLoad {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  private readonly url: URL;
  private readonly signer: SignatureV4;
  private cache = new Map<string, { at: number; request: Promise<SignedRequest> }>();

  constructor(info: SandboxInfo) {
    this.url = new URL(info.endpoint);
    this.signer = new SignatureV4({
      service: 'kms',
      region: info.region,
      sha256: Sha256,
      credentials: { accessKeyId: info.accessKeyId, secretAccessKey: info.secretAccessKey },
    });
  }

  /** The signed form of `operation(input)`, signed anew every 250 ms. */
  private signed(operation: string, input: object): Promise<SignedRequest> {
    const body = JSON.stringify(input);
    const key = `${operation} ${body}`;
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < 250) return hit.request;
    const request = this.signer
      .sign(
        new HttpRequest({
          method: 'POST',
          protocol: 'http:',
          hostname: this.url.hostname,
          port: Number(this.url.port),
          path: '/',
          headers: {
            host: this.url.host,
            'content-type': 'application/x-amz-json-1.1',
            'x-amz-target': `TrentService.${operation}`,
            'content-length': String(Buffer.byteLength(body)),
          },
          body,
        }),
      )
      .then((r) => ({ headers: r.headers, body }));
    this.cache.set(key, { at: Date.now(), request });
    return request;
  }

  /** Sends one request; resolves with the HTTP status (the body is read and dropped). */
  async send(operation: string, input: object): Promise<number> {
    const { headers, body } = await this.signed(operation, input);
    return new Promise((resolve, reject) => {
      const req = http.request(
        { agent: this.agent, host: this.url.hostname, port: this.url.port, method: 'POST', path: '/', headers },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
