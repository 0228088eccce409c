// A key's last use in the Keys view: GetKeyLastUsage only for keys the user hovers (resolveTreeItem), one call
// per key at a time, cached per catalog key object (a refreshed key is a new object, so refresh re-reads it) and
// read again on hover after a minute; once known it shows in the key's description and tooltip.
import * as vscode from 'vscode';
import type { ActiveConnection } from '../connection/manager';
import { explainKmsError } from '../kms/errors';
import type { ListedKey } from '../kms/keys';
import { loadKms } from '../kms/load';
import { lastUseWords, type LastUseFacts } from '../kms/usageWords';
import { formatDate } from '../ui/dates';
import { code } from './presentation';

type LastUse = { usage: LastUseFacts; at: number } | { error: string; at: number };

/** A known last use older than this is read again when the user hovers the key. */
const FRESH_MS = 60_000;

export class KeyLastUseCache {
  private readonly known = new WeakMap<ListedKey, LastUse>();
  private readonly reading = new WeakMap<ListedKey, Promise<LastUse>>();

  /** "last used 3 min ago · Decrypt" once known, for the description. */
  describe(key: ListedKey): string | undefined {
    const entry = this.known.get(key);
    return entry && 'usage' in entry ? lastUseWords(entry.usage) : undefined;
  }

  /** True when the key's tooltip needs a fresh read (VS Code then calls resolveTreeItem on hover). */
  stale(key: ListedKey): boolean {
    const entry = this.known.get(key);
    return key.status === 'ok' && (!entry || Date.now() - entry.at > FRESH_MS);
  }

  /** Reads the key's last use (one call in flight per key); errors become words, never a throw. */
  read(key: ListedKey, active: ActiveConnection): Promise<LastUse> {
    let pending = this.reading.get(key);
    if (!pending) {
      pending = (async (): Promise<LastUse> => {
        try {
          const { getKeyLastUsage } = (await loadKms()).usage;
          return { usage: await getKeyLastUsage(active.connection.client, key.arn), at: Date.now() };
        } catch (err) {
          return { error: explainKmsError(err).summary, at: Date.now() };
        }
      })();
      this.reading.set(key, pending);
      void pending.then((entry) => {
        this.known.set(key, entry);
        this.reading.delete(key);
      });
    }
    return pending;
  }

  /** The tooltip's closing lines for a known last use (Markdown), or '' when not read yet. */
  tooltipLines(key: ListedKey): string {
    const entry = this.known.get(key);
    if (!entry) return '';
    if ('error' in entry) return `Last used: ${code(`unknown (${entry.error})`)}  \n`;
    const { last, trackingStart } = entry.usage;
    const lines = [`Last used: ${code(lastUseWords(entry.usage).replace(/^last used /, ''))}`];
    if (last) lines.push(`Last use at: ${code(formatDate(last.time))}`);
    if (trackingStart) lines.push(`Usage tracked since: ${code(formatDate(trackingStart))}`);
    return lines.map((l) => `${l}  \n`).join('');
  }
}

/** Appends the key's last use to its tooltip (as built by keyTooltip). */
export function withLastUse(tooltip: vscode.MarkdownString, lines: string): vscode.MarkdownString {
  if (lines) tooltip.appendMarkdown(lines);
  return tooltip;
}
