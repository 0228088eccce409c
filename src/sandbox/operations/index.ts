// Every operation the sandbox answers, by X-Amz-Target name. Adding a group: one file, one line here.
import type { HandlerMap } from '../context';
import { aliasOperations } from './aliases';
import { cryptoOperations } from './crypto';
import { grantOperations } from './grants';
import { keyOperations } from './keys';
import { randomOperations } from './random';

export const operations: HandlerMap = Object.freeze({
  ...keyOperations,
  ...cryptoOperations,
  ...aliasOperations,
  ...grantOperations,
  ...randomOperations,
});
