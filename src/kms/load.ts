// The one way the VS Code adapters reach the SDK-bound kms layer: loadKms() loads the lazy chunk
// (api.ts, dist/lazy/kms.js) on first use and gives its modules by name (`(await loadKms()).grants`).
export type KmsApi = typeof import('./api');

export function loadKms(): Promise<KmsApi> {
  return import('./api');
}
