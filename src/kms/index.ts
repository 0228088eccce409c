// The kms layer in one import (plain Node, no vscode). The extension reaches it through loadKms() on first
// use so activation does not pay for the SDK. See each module's header for what it offers.
export * from './catalog';
export * from './concurrency';
export * from './connection';
export * from './crypto';
export * from './encoding';
export * from './errors';
export * from './keyOperations';
export * from './keys';
export * from './listing';
export * from './requestCounter';
