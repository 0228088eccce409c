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
  /** Key material, base64: symmetric keys 32 random bytes; HMAC keys the HMAC key; RSA and ECC keys the DER PKCS#8 private key (keygen.ts). */
  secret: string;
  createdAt: number;
  /** How this material replaced the one before it; absent on a key's first material. */
  rotationType?: 'AUTOMATIC' | 'ON_DEMAND';
}

/** Automatic rotation of a key's material, while enabled. */
export interface RotationSchedule {
  periodInDays: number;
  /** Epoch ms of the next automatic rotation. */
  nextRotationAt: number;
}

/** What an Origin EXTERNAL key knows of its imported material. */
export interface ImportedMaterial {
  /** KeyMaterialId of the material imported first: a re-import must bring the same material. */
  materialId: string;
  /** Set while the material is imported. */
  expirationModel?: 'KEY_MATERIAL_EXPIRES' | 'KEY_MATERIAL_DOES_NOT_EXPIRE';
  /** Epoch ms at which the material expires (KEY_MATERIAL_EXPIRES). */
  validTo?: number;
}

/**
 * A multi-Region key's place among its related keys (same key id in other Regions). Every Region's record holds
 * its own copy, so each store is self-sufficient; multiRegion.ts makes the copies agree after a cross-Region change.
 */
export interface MultiRegionLink {
  primaryRegion: string;
  /** The Regions of the replica keys, sorted. */
  replicaRegions: string[];
  /** Raised by every change of primary Region: when copies disagree, the one with the highest epoch wins. */
  epoch: number;
  /** Epoch ms at which a Creating replica or an Updating key finishes that step. */
  readyAt?: number;
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
  /** Set while automatic rotation is enabled. */
  rotation?: RotationSchedule;
  /** Origin EXTERNAL keys, once material was imported. */
  imported?: ImportedMaterial;
  /** Import tokens already used on this key (token id -> expiry, epoch ms), refused if presented again. */
  usedImportTokens?: Record<string, number>;
  /** Multi-Region keys (key id mrk-...): the primary's Region and the replicas'. */
  multiRegion?: MultiRegionLink;
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
