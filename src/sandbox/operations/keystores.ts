// Custom key stores: the sandbox has none, and answers as AWS KMS answers an account without them (an empty
// DescribeCustomKeyStores, CustomKeyStoreNotFoundException for any id), so tools that probe these operations work.
import type { HandlerMap, Json } from '../context';
import { KmsError } from '../errors';
import { pageTail, readPage } from '../paging';
import { constraintError, optEnum, optString, reqString } from '../validate';

const STORE_ID = { min: 1, max: 64 } as const;
const STORE_NAME = { min: 1, max: 256 } as const;
/** The settings CreateCustomKeyStore and UpdateCustomKeyStore share, with the model's constraints. */
const STORE_SETTINGS = {
  CloudHsmClusterId: { min: 19, max: 24, pattern: 'cluster-[2-7a-zA-Z]{11,16}' },
  XksProxyUriEndpoint: { min: 10, max: 128, pattern: '^https://[a-zA-Z0-9.-]+$' },
  XksProxyUriPath: { min: 10, max: 128, pattern: '^(/[a-zA-Z0-9\\/_-]+/kms/xks/v\\d{1,2})$|^(/kms/xks/v\\d{1,2})$' },
  XksProxyVpcEndpointServiceName: {
    min: 20,
    max: 64,
    pattern: '^(com|eu)\\.amazonaws\\.vpce\\.([a-z]+-){2,3}\\d+\\.vpce-svc-[0-9a-z]+$',
  },
  XksProxyVpcEndpointServiceOwner: { min: 12, max: 12, pattern: '[0-9]{12}' },
} as const;

/** Checks the store settings present in a request; the password is checked without ever being echoed. */
function readStoreSettings(input: Json): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, bounds] of Object.entries(STORE_SETTINGS)) out[name] = optString(input, name, bounds);
  const password = optString(input, 'KeyStorePassword');
  if (password !== undefined && (password.length < 7 || password.length > 32))
    throw constraintError(
      'KeyStorePassword',
      password,
      `Member must have length ${password.length < 7 ? 'greater than or equal to 7' : 'less than or equal to 32'}`,
      true,
    );
  optEnum(input, 'XksProxyConnectivity', ['PUBLIC_ENDPOINT', 'VPC_ENDPOINT_SERVICE']);
  return out;
}

const storeNotFound = (id: string) =>
  new KmsError(
    'CustomKeyStoreNotFoundException',
    `Custom key store ${id} does not exist. The KMS sandbox has no custom key stores.`,
  );

/** Reads a CustomKeyStoreId member that must name a store: there is none, so it is never found. */
function noSuchStore(input: Json): never {
  throw storeNotFound(reqString(input, 'CustomKeyStoreId', STORE_ID));
}

export const keyStoreOperations: HandlerMap = {
  DescribeCustomKeyStores(input, ctx) {
    const id = optString(input, 'CustomKeyStoreId', STORE_ID);
    const name = optString(input, 'CustomKeyStoreName', STORE_NAME);
    readPage(input, ctx, 'DescribeCustomKeyStores', { max: 1000, default: 100 });
    if (id !== undefined) throw storeNotFound(id);
    if (name !== undefined)
      throw new KmsError(
        'CustomKeyStoreNotFoundException',
        `Custom key store ${name} does not exist. The KMS sandbox has no custom key stores.`,
      );
    return { CustomKeyStores: [], ...pageTail(ctx, 'DescribeCustomKeyStores', false, undefined) };
  },

  ConnectCustomKeyStore: (input) => noSuchStore(input),
  DisconnectCustomKeyStore: (input) => noSuchStore(input),
  DeleteCustomKeyStore: (input) => noSuchStore(input),
  UpdateCustomKeyStore(input) {
    optString(input, 'NewCustomKeyStoreName', STORE_NAME);
    readStoreSettings(input);
    return noSuchStore(input);
  },

  CreateCustomKeyStore(input) {
    reqString(input, 'CustomKeyStoreName', STORE_NAME);
    const type = optEnum(input, 'CustomKeyStoreType', ['AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE']) ?? 'AWS_CLOUDHSM';
    optString(input, 'TrustAnchorCertificate', { min: 1, max: 5000 });
    const settings = readStoreSettings(input);
    if (type === 'EXTERNAL_KEY_STORE') {
      const uri = settings.XksProxyUriEndpoint;
      throw new KmsError(
        'XksProxyUriUnreachableException',
        `The KMS sandbox cannot reach an external key store proxy${uri ? ` at ${uri}` : ''}.`,
      );
    }
    const cluster = settings.CloudHsmClusterId;
    throw new KmsError(
      'CloudHsmClusterNotFoundException',
      `CloudHSM cluster ${cluster ?? '(none given)'} was not found. The KMS sandbox has no CloudHSM clusters.`,
    );
  },
};
