// The parts of the AWS Encryption SDK the extension uses, in one module. The build makes this module a
// chunk of its own (dist/lazy/esdk.js, see esbuild.js), loaded the first time envelope encryption or
// message recognition needs it, so the SDK (about 500 KB) is never parsed at activation.
export { buildClient, CommitmentPolicy, KmsKeyringNode } from '@aws-crypto/client-node';
export { NodeAlgorithmSuite } from '@aws-crypto/material-management-node';
export { deserializeFactory } from '@aws-crypto/serialize';
