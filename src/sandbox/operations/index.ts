// Every operation the sandbox answers, by X-Amz-Target name. Adding a group: one file, one line here.
import type { HandlerMap } from '../context';
import { aliasOperations } from './aliases';
import { asymmetricOperations } from './asymmetric';
import { agreementOperations } from './asymmetricAgreement';
import { cryptoOperations } from './crypto';
import { dataKeyPairOperations } from './datakeypair';
import { deletionOperations } from './deletion';
import { grantOperations } from './grants';
import { importOperations } from './import';
import { keyOperations } from './keys';
import { keyStoreOperations } from './keystores';
import { macOperations } from './mac';
import { multiRegionOperations } from './multiRegion';
import { descriptionOperations } from './description';
import { policyOperations } from './policy';
import { randomOperations } from './random';
import { reEncryptOperations } from './reencrypt';
import { rotationOperations } from './rotation';
import { signOperations } from './sign';
import { tagOperations } from './tags';
import { usageOperations } from './usage';

export const operations: HandlerMap = Object.freeze({
  ...keyOperations,
  ...cryptoOperations,
  ...aliasOperations,
  ...grantOperations,
  ...randomOperations,
  ...asymmetricOperations,
  ...agreementOperations,
  ...signOperations,
  ...macOperations,
  ...dataKeyPairOperations,
  ...reEncryptOperations,
  ...descriptionOperations,
  ...deletionOperations,
  ...policyOperations,
  ...tagOperations,
  ...rotationOperations,
  ...importOperations,
  ...keyStoreOperations,
  ...usageOperations,
  ...multiRegionOperations,
});
