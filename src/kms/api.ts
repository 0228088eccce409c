// Everything in the kms layer that needs the AWS SDK, in one module. The build makes it the lazy chunk
// dist/lazy/kms.js (with the SDK), reached only through loadKms() (load.ts), so activation never
// parses the SDK. Pure modules (keys, errors, encoding, encryptionContext, ...) stay importable directly.
export * from './index';
export * as sdk from '@aws-sdk/client-kms';
export * as aliases from './aliases';
export * as connection from './connection';
export * as createKey from './createKey';
export * as crypto from './crypto';
export * as deletion from './deletion';
export * as envelope from './envelope';
export * as fileCrypto from './fileCrypto';
export * as grants from './grants';
export * as importMaterial from './importMaterial';
export * as keyDetails from './keyDetails';
export * as keyOperations from './keyOperations';
export * as keyPolicy from './keyPolicy';
export * as principals from './principals';
export * as multiRegion from './multiRegion';
export * as publicKey from './publicKey';
export * as regions from './regions';
export * as rotation from './rotation';
export * as rotationInfo from './rotationInfo';
export * as signing from './signing';
export * as tags from './tags';
export * as usage from './usage';
export * as iam from './iam';
export * as policy from '../policy';
