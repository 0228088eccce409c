// IAM records (users, roles, access keys with their inline policies and tags) and how they are kept: global to the
// sandbox, so only the home region's store holds them, in its journal through Store.write like keys. Secrets (access
// keys' secret keys) live only here.

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

/** IAM names compare case-insensitively (AWS refuses "Bob" when "bob" exists): maps are keyed by the lower-case name. */
export const nameKey = (name: string) => name.toLowerCase();

/** The IAM state in memory: users and roles by lower-case name, access keys by id. */
export class IamState {
  readonly users = new Map<string, IamUserRecord>();
  readonly roles = new Map<string, IamRoleRecord>();
  readonly accessKeys = new Map<string, AccessKeyRecord>();

  /** The state as the changes that recreate it (the store's snapshots). */
  snapshot(): IamChange[] {
    return [
      ...[...this.users.values()].map((record): IamChange => ({ kind: 'iamUser', record })),
      ...[...this.roles.values()].map((record): IamChange => ({ kind: 'iamRole', record })),
      ...[...this.accessKeys.values()].map((record): IamChange => ({ kind: 'accessKey', record })),
    ];
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
}
