// The steps of the AWS KMS getting-started scenario, and a last one on the key's usage: ids, titles, plain-words
// explanations, developer-guide links and input limits. Shared by the extension host and the webview page, so it
// imports nothing (no vscode, no SDK).

export const STEP_IDS = [
  'createKey',
  'enableKey',
  'encryptDecrypt',
  'grantsPolicy',
  'rotation',
  'tagsDeletion',
  'keyUsage',
] as const;
export type StepId = (typeof STEP_IDS)[number];

export function isStepId(value: unknown): value is StepId {
  return typeof value === 'string' && (STEP_IDS as readonly string[]).includes(value);
}

export interface DocLink {
  label: string;
  url: string;
}

export interface StepInfo {
  id: StepId;
  title: string;
  explanation: string;
  docs: DocLink[];
}

const GUIDE = 'https://docs.aws.amazon.com/kms/latest/developerguide/';
const API = 'https://docs.aws.amazon.com/kms/latest/APIReference/';

export const STEPS: readonly StepInfo[] = [
  {
    id: 'createKey',
    title: 'Create a symmetric encryption key',
    explanation:
      'A KMS key never leaves KMS: you ask KMS to encrypt and decrypt with it. CreateKey makes a symmetric encryption key (AES-256-GCM, key spec SYMMETRIC_DEFAULT); CreateAlias gives it a friendly name that you can use instead of its id.',
    docs: [{ label: 'Create a KMS key', url: `${GUIDE}create-keys.html` }],
  },
  {
    id: 'enableKey',
    title: 'Check the key state and enable it',
    explanation:
      'Every key has a state. Only an Enabled key can encrypt and decrypt. DescribeKey shows the state; if the key is not enabled, EnableKey enables it. A new key is already Enabled, so the first run needs no EnableKey: disable the key and run the step again to see it.',
    docs: [{ label: 'Enable and disable keys', url: `${GUIDE}enabling-keys.html` }],
  },
  {
    id: 'encryptDecrypt',
    title: 'Encrypt a message and decrypt it back',
    explanation:
      "Encrypt takes up to 4096 bytes and returns a ciphertext blob that names the key that made it, so Decrypt needs only the blob: the request below passes no KeyId. (In your own code, passing KeyId too is AWS's recommended practice: KMS then refuses a blob made under any other key.) The blob is shown in base64, the form the AWS CLI prints.",
    docs: [
      { label: 'Decrypt', url: `${API}API_Decrypt.html` },
      { label: 'Encrypt', url: `${API}API_Encrypt.html` },
    ],
  },
  {
    id: 'grantsPolicy',
    title: 'Grants and the key policy',
    explanation:
      'A grant lets one principal use the key for chosen operations without changing the key policy. Here it is given to a role (on the sandbox the role is created if needed), and KMS Explorer then acts as that role: Encrypt works while the grant exists and is refused (AccessDeniedException) once it is revoked. The key policy is the main access control document of the key: it is read and put back, optionally with a statement you add, and the statement that lets you manage the key is pointed out.',
    docs: [
      { label: 'Grants in AWS KMS', url: `${GUIDE}grants.html` },
      { label: 'Default key policy', url: `${GUIDE}key-policy-default.html` },
    ],
  },
  {
    id: 'rotation',
    title: 'Enable automatic key rotation',
    explanation:
      'With automatic rotation KMS creates new key material every rotation period (90 to 2560 days) and keeps the old material, so older ciphertexts still decrypt. The key id, ARN and aliases stay the same.',
    docs: [{ label: 'Enable automatic key rotation', url: `${GUIDE}rotating-keys-enable.html` }],
  },
  {
    id: 'tagsDeletion',
    title: 'Tag the key, then schedule its deletion',
    explanation:
      'Tags are key/value labels for cost allocation and access control. Deleting a key is destructive: KMS waits 7 to 30 days (the key is PendingDeletion and unusable meanwhile), and the deletion can be cancelled until then.',
    docs: [
      { label: 'Managing key tags with API operations', url: `${GUIDE}manage-tags-api.html` },
      { label: 'Schedule key deletion', url: `${GUIDE}deleting-keys-scheduling-key-deletion.html` },
    ],
  },
  {
    id: 'keyUsage',
    title: 'See who used your key',
    explanation:
      'KMS records every call to a key in CloudTrail: who called, when, which operation, the encryption context and whether KMS refused it. GetKeyLastUsage says when the key last did cryptographic work; LookupEvents (by the key’s ARN) lists the calls this scenario made, newest first. Before deleting a key, check its past usage: data encrypted under a deleted key is lost.',
    docs: [
      { label: 'Logging AWS KMS API calls with CloudTrail', url: `${GUIDE}logging-using-cloudtrail.html` },
      { label: 'Determining past usage of a KMS key', url: `${GUIDE}deleting-keys-determining-usage.html` },
    ],
  },
];

export function stepInfo(id: StepId): StepInfo {
  return STEPS.find((s) => s.id === id) as StepInfo;
}

/** Limits applied to every input, by the page (maxlength, min/max) and again by the extension host. */
export const LIMITS = {
  descriptionChars: 8192,
  aliasChars: 256,
  messageBytes: 4096,
  granteeChars: 256,
  statementChars: 32768,
  rotationDays: { min: 90, max: 2560 },
  tagKeyChars: 128,
  tagValueChars: 256,
  pendingWindowDays: { min: 7, max: 30 },
} as const;

/** The operations the walkthrough's grant allows. */
export const GRANT_OPERATIONS = ['Encrypt', 'Decrypt', 'DescribeKey'] as const;
