// What an IAM or STS handler receives, and the handler tables' shape.
import type { Caller } from '../auth';
import type { Sessions } from '../iam/principals';
import type { Store } from '../store';
import type { TokenSigner } from '../tokens';
import type { Params, XmlValue } from './protocol';

export interface QueryContext {
  /** The home region's store: IAM is global and lives there. */
  readonly store: Store;
  readonly caller: Caller;
  readonly accountId: string;
  readonly tokens: TokenSigner;
  readonly sessions: Sessions;
  readonly now: () => number;
}

export type QueryResult = Record<string, XmlValue> | undefined;

export interface QueryOperation {
  /** The resource the caller's IAM policies are checked against (`*` for none); absent: no permission needed. */
  resource?: (p: Params, ctx: QueryContext) => string;
  handle(p: Params, ctx: QueryContext): Promise<QueryResult> | QueryResult;
}

export interface QueryService {
  /** iam or sts: the action prefix in policies. */
  readonly prefix: string;
  readonly namespace: string;
  readonly operations: Readonly<Record<string, QueryOperation>>;
}
