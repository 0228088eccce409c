// GenerateRandom.
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import type { HandlerMap } from '../context';
import { KmsError } from '../errors';
import { optInt, optString } from '../validate';

const randomBytesAsync = promisify(randomBytes);

export const randomOperations: HandlerMap = {
  async GenerateRandom(input) {
    const n = optInt(input, 'NumberOfBytes', { min: 1, max: 1024 });
    if (optString(input, 'CustomKeyStoreId', { min: 1, max: 64 }) !== undefined)
      throw new KmsError('CustomKeyStoreNotFoundException', 'Custom key stores are not available in the KMS sandbox.');
    if (n === undefined) throw new KmsError('ValidationException', 'NumberOfBytes is required.');
    return { Plaintext: await randomBytesAsync(n) };
  },
};
