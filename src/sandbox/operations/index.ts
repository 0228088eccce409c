// Every operation the sandbox answers, by X-Amz-Target name. Adding a group: one file, one line here.
import type { HandlerMap } from '../context';
import { aliasOperations } from './aliases';
import { cryptoOperations } from './crypto';
import { deletionOperations } from './deletion';
import { grantOperations } from './grants';
import { keyOperations } from './keys';
import { lifecycleOperations } from './lifecycle';
import { policyOperations } from './policy';
import { randomOperations } from './random';
import { rotationOperations } from './rotation';
import { tagOperations } from './tags';

export const operations: HandlerMap = Object.freeze({
  ...keyOperations,
  ...cryptoOperations,
  ...aliasOperations,
  ...grantOperations,
  ...randomOperations,
  ...lifecycleOperations,
  ...deletionOperations,
  ...policyOperations,
  ...tagOperations,
  ...rotationOperations,
});
