// The AWS Encryption SDK's message-header parser, for recognising ciphertext without decrypting it. The
// build makes this module a chunk of its own (dist/lazy/esdkHeaders.js, see esbuild.js): the ciphertext
// CodeLens needs it without the SDKs, so it is loaded the first time a document is scanned.
export { NodeAlgorithmSuite } from '@aws-crypto/material-management-node';
export { deserializeFactory } from '@aws-crypto/serialize';
