// Who signed a request: the account's root user (the data folder's credentials), an IAM user (its access key) or an
// assumed-role session (ASIA key + session token). Session credentials are stateless: the token is a signed
// payload naming the role, session and expiry, and the session's secret key is derived from the token secret.
import { createHmac, randomBytes } from 'node:crypto';
import type { Policy, Principal } from '../../policy';
import { parsePolicy, PolicyError, RequestContext } from '../../policy';
import { KmsError } from '../errors';
import type { Identity } from '../model';
import type { TokenSigner } from '../tokens';
import { nameKey, type IamRoleRecord, type IamState, type IamTag, type IamUserRecord } from './model';

const SESSION_PURPOSE = 'sts-session';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A new IAM-style id: prefix + 16 base32 characters (AIDA users, AROA roles, AKIA/ASIA access keys). */
export function iamId(prefix: string): string {
  let s = prefix;
  for (const b of randomBytes(16)) s += BASE32[b & 31];
  return s;
}

/** What an STS session token carries. */
export interface SessionClaims {
  accessKeyId: string;
  roleName: string;
  roleId: string;
  sessionName: string;
  /** Epoch ms. */
  expiresAt: number;
  tags?: IamTag[];
}

/** The authenticated caller: its principal for policy evaluation, and what it is in IAM. */
export interface CallerIdentity {
  accessKeyId: string;
  principal: Principal;
  /** GetCallerIdentity's UserId: the account id for root, AIDA... for users, AROA...:session for sessions. */
  userId: string;
  user?: IamUserRecord;
  role?: IamRoleRecord;
  session?: SessionClaims;
}

export const rootArn = (account: string) => `arn:aws:iam::${account}:root`;
export const userArn = (account: string, u: IamUserRecord) => `arn:aws:iam::${account}:user${u.path}${u.userName}`;
export const roleArn = (account: string, r: IamRoleRecord) => `arn:aws:iam::${account}:role${r.path}${r.roleName}`;

const invalidToken = () =>
  new KmsError('UnrecognizedClientException', 'The security token included in the request is invalid.', 400);
const expiredToken = () =>
  new KmsError('ExpiredTokenException', 'The security token included in the request is expired', 400);

/** Signs and reads session tokens; derives a session's secret key from its access key id. */
export class Sessions {
  constructor(
    private readonly signer: TokenSigner,
    private readonly secret: Buffer,
  ) {}

  secretFor(accessKeyId: string): string {
    return createHmac('sha256', this.secret)
      .update('sts-secret\0')
      .update(accessKeyId)
      .digest()
      .subarray(0, 30)
      .toString('base64');
  }

  issue(claims: SessionClaims): string {
    return this.signer.sign(SESSION_PURPOSE, JSON.stringify(claims));
  }

  read(token: string): SessionClaims | undefined {
    const payload = this.signer.verify(SESSION_PURPOSE, token);
    if (payload === undefined) return undefined;
    try {
      return JSON.parse(payload) as SessionClaims;
    } catch {
      return undefined;
    }
  }
}

/** The credential a request's access key names, to check its signature with, and the identity behind it. */
export interface ResolvedCredential {
  secretAccessKey: string;
  caller: CallerIdentity;
}

/**
 * Looks up an access key (and the session token sent with it): root's, an active IAM user's, or a session's.
 * Unknown keys, tokens on long-term keys and forged tokens are UnrecognizedClientException; expired sessions
 * ExpiredTokenException.
 */
export function resolveCredential(
  identity: Identity,
  iam: IamState,
  sessions: Sessions,
  accessKeyId: string,
  token: string | undefined,
  now: number,
): ResolvedCredential {
  const account = identity.accountId;
  if (accessKeyId.startsWith('ASIA')) {
    if (token === undefined) throw invalidToken();
    const claims = sessions.read(token);
    if (!claims || claims.accessKeyId !== accessKeyId) throw invalidToken();
    if (claims.expiresAt <= now) throw expiredToken();
    const role = iam.roles.get(nameKey(claims.roleName));
    const live = role && role.roleId === claims.roleId ? role : undefined;
    const rolePath = live?.path ?? '/';
    return {
      secretAccessKey: sessions.secretFor(accessKeyId),
      caller: {
        accessKeyId,
        principal: {
          arn: `arn:aws:sts::${account}:assumed-role/${claims.roleName}/${claims.sessionName}`,
          account,
          kind: 'assumedRole',
          roleArn: `arn:aws:iam::${account}:role${rolePath}${claims.roleName}`,
        },
        userId: `${claims.roleId}:${claims.sessionName}`,
        role: live,
        session: claims,
      },
    };
  }
  if (token !== undefined) throw invalidToken();
  if (accessKeyId === identity.accessKeyId) {
    return {
      secretAccessKey: identity.secretAccessKey,
      caller: { accessKeyId, principal: { arn: rootArn(account), account, kind: 'root' }, userId: account },
    };
  }
  const key = iam.accessKeys.get(accessKeyId);
  const user = key && key.status === 'Active' ? iam.users.get(nameKey(key.userName)) : undefined;
  if (!key || !user) throw invalidToken();
  return {
    secretAccessKey: key.secretAccessKey,
    caller: {
      accessKeyId,
      principal: { arn: userArn(account, user), account, kind: 'user' },
      userId: user.userId,
      user,
    },
  };
}

/** The caller's IAM policies (its user's or role's inline policies), parsed; a policy that no longer parses counts as none. */
export function identityPoliciesOf(caller: CallerIdentity): Policy[] {
  const inline = caller.user?.policies ?? caller.role?.policies ?? [];
  const out: Policy[] = [];
  for (const p of inline) {
    try {
      out.push(parsePolicy(p.document, { kind: 'identity' }));
    } catch (err) {
      if (!(err instanceof PolicyError)) throw err;
    }
  }
  return out;
}

/** The principal's tags: a user's, or a session's (its session tags over its role's). */
export function principalTags(caller: CallerIdentity): Map<string, string> {
  const tags = new Map<string, string>();
  for (const t of caller.user?.tags ?? caller.role?.tags ?? []) tags.set(t.Key, t.Value);
  for (const t of caller.session?.tags ?? []) tags.set(t.Key, t.Value);
  return tags;
}

const TYPES: Record<Principal['kind'], string> = {
  root: 'Account',
  user: 'User',
  assumedRole: 'AssumedRole',
  role: 'AssumedRole',
  service: 'AWSService',
  anonymous: 'Anonymous',
};

/** aws:CurrentTime (whole seconds), worked out once a second rather than on every request. */
let timeSecond = NaN;
let timeText = '';
function currentTime(now: number): string {
  const second = Math.floor(now / 1000);
  if (second !== timeSecond) {
    timeText = new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    timeSecond = second;
  }
  return timeText;
}

/** The global condition keys that mean something locally, for any request by this caller. */
export function globalContext(caller: CallerIdentity, region: string, now: number): RequestContext {
  const p = caller.principal;
  const ctx = new RequestContext([
    ['aws:PrincipalArn', p.kind === 'assumedRole' ? p.roleArn : p.arn],
    ['aws:PrincipalAccount', p.account],
    ['aws:PrincipalType', TYPES[p.kind]],
    ['aws:userid', caller.userId],
    ['aws:username', caller.user?.userName],
    ['aws:RequestedRegion', region],
    ['aws:SourceIp', '127.0.0.1'],
    ['aws:SecureTransport', 'false'],
    ['aws:CurrentTime', currentTime(now)],
    ['aws:EpochTime', String(Math.floor(now / 1000))],
    ['aws:ViaAWSService', 'false'],
    ['aws:PrincipalIsAWSService', 'false'],
  ]);
  for (const [k, v] of principalTags(caller)) ctx.set(`aws:PrincipalTag/${k}`, v);
  return ctx;
}
