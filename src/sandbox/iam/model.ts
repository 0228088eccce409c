// IAM records (users, roles, access keys with their inline policies and tags) and how they are kept: global to the
// sandbox, so only the home region's store holds them; one JSON file per record under iam/, written through
// Store.write like keys. Secrets (access keys' secret keys) live only here.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { ensureDir, readJsonFiles } from '../fsutil';

export type IamTag = {
  Key: string;
  Value: string;
};

/** An inline policy: its name and the document as the caller sent it. */
export interface InlinePolicy {
  name: string;
  document: string;
}

export interface IamUserRecord {
  userName: string;
  /** AIDA... */
  userId: string;
  path: string;
  createdAt: number;
  tags: IamTag[];
  policies: InlinePolicy[];
}

export interface IamRoleRecord {
  roleName: string;
  /** AROA... */
  roleId: string;
  path: string;
  createdAt: number;
  assumeRolePolicy: string;
  description?: string;
  /** Seconds, 3600–43200. */
  maxSessionDuration: number;
  tags: IamTag[];
  policies: InlinePolicy[];
}

export interface AccessKeyRecord {
  /** AKIA... */
  accessKeyId: string;
  secretAccessKey: string;
  userName: string;
  status: 'Active' | 'Inactive';
  createdAt: number;
}

export type IamChange =
  | { kind: 'iamUser'; record: IamUserRecord }
  | { kind: 'deleteIamUser'; userName: string }
  | { kind: 'iamRole'; record: IamRoleRecord }
  | { kind: 'deleteIamRole'; roleName: string }
  | { kind: 'accessKey'; record: AccessKeyRecord }
  | { kind: 'deleteAccessKey'; accessKeyId: string };

export const isIamChange = (c: { kind: string }): c is IamChange =>
  c.kind === 'iamUser' || c.kind === 'deleteIamUser' || c.kind === 'iamRole' || c.kind === 'deleteIamRole' || c.kind === 'accessKey' || c.kind === 'deleteAccessKey';

const SUBDIRS = ['users', 'roles', 'access-keys'] as const;
/** IAM names compare case-insensitively (AWS refuses "Bob" when "bob" exists): maps are keyed by the lower-case name. */
export const nameKey = (name: string) => name.toLowerCase();
const digest = (s: string) => createHash('sha256').update(s).digest('hex');

/** The IAM state in memory: users and roles by lower-case name, access keys by id. */
export class IamState {
  readonly users = new Map<string, IamUserRecord>();
  readonly roles = new Map<string, IamRoleRecord>();
  readonly accessKeys = new Map<string, AccessKeyRecord>();

  constructor(private readonly dir: string) {}

  async load(): Promise<void> {
    for (const sub of SUBDIRS) await ensureDir(path.join(this.dir, sub));
    for (const u of await readJsonFiles<IamUserRecord>(path.join(this.dir, 'users'))) this.users.set(nameKey(u.userName), u);
    for (const r of await readJsonFiles<IamRoleRecord>(path.join(this.dir, 'roles'))) this.roles.set(nameKey(r.roleName), r);
    for (const k of await readJsonFiles<AccessKeyRecord>(path.join(this.dir, 'access-keys'))) this.accessKeys.set(k.accessKeyId, k);
  }

  /** The file a change writes (content) or removes (null). */
  fileOf(c: IamChange): { file: string; content: string | null } {
    switch (c.kind) {
      case 'iamUser':
        return { file: this.file('users', c.record.userName), content: JSON.stringify(c.record) };
      case 'deleteIamUser':
        return { file: this.file('users', c.userName), content: null };
      case 'iamRole':
        return { file: this.file('roles', c.record.roleName), content: JSON.stringify(c.record) };
      case 'deleteIamRole':
        return { file: this.file('roles', c.roleName), content: null };
      case 'accessKey':
        return { file: path.join(this.dir, 'access-keys', `${c.record.accessKeyId}.json`), content: JSON.stringify(c.record) };
      case 'deleteAccessKey':
        return { file: path.join(this.dir, 'access-keys', `${c.accessKeyId}.json`), content: null };
    }
  }

  apply(c: IamChange): void {
    switch (c.kind) {
      case 'iamUser':
        this.users.set(nameKey(c.record.userName), c.record);
        return;
      case 'deleteIamUser':
        this.users.delete(nameKey(c.userName));
        return;
      case 'iamRole':
        this.roles.set(nameKey(c.record.roleName), c.record);
        return;
      case 'deleteIamRole':
        this.roles.delete(nameKey(c.roleName));
        return;
      case 'accessKey':
        this.accessKeys.set(c.record.accessKeyId, c.record);
        return;
      case 'deleteAccessKey':
        this.accessKeys.delete(c.accessKeyId);
        return;
    }
  }

  private file(sub: string, name: string): string {
    // Names hold '+=,.@-' and reach 128 characters, case-insensitively unique: the file is named by a digest.
    return path.join(this.dir, sub, `${digest(nameKey(name))}.json`);
  }
}
