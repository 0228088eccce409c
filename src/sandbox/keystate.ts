// Which operation each key state allows, after AWS's "Key states of AWS KMS keys" table.
// An operation missing from the table is allowed in every state (DescribeKey, List*, policy reads, ...).
import { disabled, invalidState } from './errors';
import type { KeyRecord, KeyState } from './model';

type Outcome = 'ok' | 'DisabledException' | 'KMSInvalidStateException';
type Rule = Partial<Record<KeyState, Outcome>> & { default: Outcome };

/** Cryptographic use: only Enabled; Disabled answers DisabledException, every other state KMSInvalidStateException. */
const CRYPTO: Rule = { Enabled: 'ok', Disabled: 'DisabledException', default: 'KMSInvalidStateException' };
/** Management that works on enabled or disabled keys, not on ones pending deletion or import. */
const MANAGE: Rule = { Enabled: 'ok', Disabled: 'ok', default: 'KMSInvalidStateException' };
/** Management that also works before key material is imported. */
const MANAGE_PENDING_IMPORT: Rule = { ...MANAGE, PendingImport: 'ok', Unavailable: 'ok' };

const TABLE: Record<string, Rule> = {
  Encrypt: CRYPTO,
  Decrypt: CRYPTO,
  ReEncrypt: CRYPTO,
  GenerateDataKey: CRYPTO,
  GenerateDataKeyWithoutPlaintext: CRYPTO,
  GenerateDataKeyPair: CRYPTO,
  GenerateDataKeyPairWithoutPlaintext: CRYPTO,
  Sign: CRYPTO,
  Verify: CRYPTO,
  GenerateMac: CRYPTO,
  VerifyMac: CRYPTO,
  GetPublicKey: CRYPTO,
  EnableKey: MANAGE,
  DisableKey: MANAGE,
  CreateAlias: MANAGE_PENDING_IMPORT,
  UpdateAlias: MANAGE_PENDING_IMPORT,
  CreateGrant: MANAGE_PENDING_IMPORT,
};

/** Throws the exception AWS raises when `op` meets `key` in its current state. */
export function checkKeyState(op: string, key: KeyRecord, arn: string): void {
  const rule = TABLE[op];
  if (!rule) return;
  const outcome = rule[key.state] ?? rule.default;
  if (outcome === 'ok') return;
  if (outcome === 'DisabledException') throw disabled(`${arn} is disabled.`);
  throw invalidState(`${arn} is ${stateWording(key.state)}.`);
}

function stateWording(state: KeyState): string {
  switch (state) {
    case 'PendingDeletion':
      return 'pending deletion';
    case 'PendingImport':
      return 'pending import';
    default:
      return `in state ${state}`;
  }
}

/** For issue-3 extensions and tests: the rule an operation follows, if any. */
export function keyStateRule(op: string): Rule | undefined {
  return TABLE[op];
}
