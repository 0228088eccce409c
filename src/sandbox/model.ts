// What the sandbox stores. Records are plain JSON so the store can write them as they are.

export type KeyState =
  | 'Creating'
  | 'Enabled'
  | 'Disabled'
  | 'PendingDeletion'
  | 'PendingImport'
  | 'PendingReplicaDeletion'
  | 'Unavailable'
  | 'Updating';

export interface Tag {
  TagKey: string;
  TagValue: string;
}

/** One version of a key's material. Rotation appends versions; ciphertexts name the version they used. */
export interface KeyMaterial {
  /** 64 hex characters, as AWS's KeyMaterialId. */
  id: string;
  /** Raw key material, base64. Symmetric keys: 32 random bytes. */
  secret: string;
  createdAt: number;
}

export interface KeyRecord {
  keyId: string;
  /** Creation sequence number in this store: ListKeys order. */
  seq: number;
  /** Region the key was created in (from the request's signing scope). */
  region: string;
  createdAt: number;
  description: string;
  keyUsage: string;
  keySpec: string;
  origin: 'AWS_KMS' | 'EXTERNAL';
  keyManager: 'CUSTOMER' | 'AWS';
  state: KeyState;
  /** Epoch ms; set while PendingDeletion. */
  deletionDate?: number;
  pendingWindowInDays?: number;
  policy?: string;
  tags: Tag[];
  /** Oldest first; the last entry is the current material. */
  materials: KeyMaterial[];
}

export interface AliasRecord {
  aliasName: string;
  targetKeyId: string;
  region: string;
  createdAt: number;
  updatedAt: number;
}

export interface GrantConstraints {
  EncryptionContextSubset?: Record<string, string>;
  EncryptionContextEquals?: Record<string, string>;
}

export interface GrantRecord {
  grantId: string;
  keyId: string;
  region: string;
  name?: string;
  createdAt: number;
  granteePrincipal: string;
  retiringPrincipal?: string;
  operations: string[];
  constraints?: GrantConstraints;
  /** Access key id of the caller that created it. */
  issuer: string;
}

/** Generated once per data folder. */
export interface Identity {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
  /** base64; signs pagination markers and grant tokens so forged ones are refused. */
  tokenSecret: string;
}
