// The request context a policy is evaluated against: condition keys (case-insensitive) → one or more values.
// Values are strings as the IAM condition operators read them ("true", "42", ISO dates, base64 for binary).

export type ContextValue = string | readonly string[];

export class RequestContext {
  private readonly values = new Map<string, ContextValue>();

  constructor(entries?: Iterable<readonly [string, ContextValue | undefined]>) {
    if (entries) for (const [k, v] of entries) this.set(k, v);
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
    for (const [k, v] of this.values) c.values.set(k, v);
    return c;
  }
}
