// The request context a policy is evaluated against: condition keys (case-insensitive) → one or more values.
// Values are strings as the IAM condition operators read them ("true", "42", ISO dates, base64 for binary).

export type ContextValue = string | readonly string[];

export class RequestContext {
  /** The keys and values, made on first use (from `build` when the context is deferred). */
  private built: Map<string, ContextValue> | undefined;
  private build: (() => RequestContext) | undefined;

  constructor(entries?: Iterable<readonly [string, ContextValue | undefined]>) {
    if (entries) for (const [k, v] of entries) this.set(k, v);
  }

  /**
   * A context made by `build` when something first reads or changes it: a policy whose statements have no condition
   * and no variable never reads its context, so most requests need not build one.
   */
  static deferred(build: () => RequestContext): RequestContext {
    const c = new RequestContext();
    c.build = build;
    return c;
  }

  private get values(): Map<string, ContextValue> {
    if (this.built === undefined) {
      this.built = this.build ? new Map(this.build().values) : new Map();
      this.build = undefined;
    }
    return this.built;
  }

  /** Sets (or, with undefined, removes) a key; names compare case-insensitively as IAM's do. */
  set(key: string, value: ContextValue | undefined): this {
    if (value === undefined) this.values.delete(key.toLowerCase());
    else this.values.set(key.toLowerCase(), value);
    return this;
  }

  get(key: string): ContextValue | undefined {
    return this.values.get(key.toLowerCase());
  }

  /** The key's values as a list: [] when absent. */
  list(key: string): readonly string[] {
    const v = this.get(key);
    return v === undefined ? [] : typeof v === 'string' ? [v] : v;
  }

  /** A single-valued key's value (the first of a multi-valued one), or undefined. */
  single(key: string): string | undefined {
    const v = this.get(key);
    return typeof v === 'string' ? v : v?.[0];
  }

  keys(): IterableIterator<string> {
    return this.values.keys();
  }

  /** A context with the same keys and values, to add to without changing this one. */
  copy(): RequestContext {
    const c = new RequestContext();
    c.built = new Map(this.values);
    return c;
  }
}
