// Turning a KeyId member into a key: key id, key ARN, alias name or alias ARN, as each operation allows.
import { aliasArn, keyArn, type RequestContext } from './context';
import { invalidKeyId, notFound } from './errors';
import { checkKeyState } from './keystate';
import type { KeyRecord } from './model';

/** A key id: a UUID, or mrk- and 32 hex digits for a multi-Region key. */
const UUID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;
const ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):((?:key|alias)\/.+)$/;

export interface ResolveOptions {
  /** Whether alias names and alias ARNs are accepted (Encrypt, DescribeKey, ...) or only key ids and ARNs. */
  aliases: boolean;
  /** Key-state check for this operation name, if any. */
  op?: string;
}

/** The key `ref` names; NotFoundException when there is none; the op's key-state rule applied. */
export function resolveKey(ctx: RequestContext, ref: string, opts: ResolveOptions): KeyRecord {
  const key = findKey(ctx, ref, opts.aliases);
  ctx.logKeyId = key.keyId;
  if (opts.op) checkKeyState(opts.op, key, keyArn(ctx, key.keyId));
  return key;
}

/** The key `ref` names, or undefined when it names none (no error: authorization leaves that to the handler). */
export function lookupKey(ctx: RequestContext, ref: string, aliases: boolean): KeyRecord | undefined {
  try {
    return findKey(ctx, ref, aliases);
  } catch {
    return undefined;
  }
}

function findKey(ctx: RequestContext, ref: string, aliases: boolean): KeyRecord {
  let resource = ref;
  const arn = ARN.exec(ref);
  if (arn) {
    if (arn[1] !== ctx.region || arn[2] !== ctx.accountId) {
      throw arn[3].startsWith('alias/') && aliases
        ? notFound(`Alias ${ref} is not found.`)
        : notFound(`Key '${ref}' does not exist`);
    }
    resource = arn[3];
    if (resource.startsWith('key/')) resource = resource.slice(4);
  } else if (ref.startsWith('arn:')) {
    throw invalidKeyId(ref);
  }
  if (resource.startsWith('alias/')) {
    if (!aliases) throw invalidKeyId(ref);
    const alias = ctx.store.aliases.get(resource);
    const key = alias && ctx.store.keys.get(alias.targetKeyId);
    if (!key) throw notFound(`Alias ${aliasArn(ctx, resource)} is not found.`);
    return key;
  }
  if (!UUID.test(resource)) throw invalidKeyId(ref);
  const key = ctx.store.keys.get(resource);
  if (!key) throw notFound(`Key '${keyArn(ctx, resource)}' does not exist`);
  return key;
}

export const isKeyId = (s: string) => UUID.test(s);
