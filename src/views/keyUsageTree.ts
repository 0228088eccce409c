// The "Key Usage" view: one key's CloudTrail events, newest first (operation; when · principal · outcome; the
// encryption context in the tooltip), read a page of 50 at a time ("Load more" at the end), filtered by
// operation, principal and errors only; each event opens as its read-only CloudTrail JSON (kms-usage-event:).
// Empty, denied (no cloudtrail:LookupEvents) and failed reads show as message rows, never as a thrown error.
import * as vscode from 'vscode';
import type { ActiveConnection, ConnectionManager } from '../connection/manager';
import { loadKms } from '../kms/load';
import type { UsageEvent } from '../kms/usage';
import { describeUsageFilter, matchesUsageFilter, usageFilterActive, type UsageFilter } from '../kms/usageFilter';
import { ago } from '../kms/usageWords';
import { CommandIds } from '../ui/commandIds';
import { formatDate } from '../ui/dates';
import type { KeyUsageView, UsageKey } from '../ui/keyUsage';
import type { MessageNode } from '../ui/treeNodes';
import { code, escape } from './presentation';
import { errorNode, messageItem } from './treeBase';

export const KEY_USAGE_VIEW_ID = 'kmsExplorer.keyUsage';
export const USAGE_EVENT_SCHEME = 'kms-usage-event';

export type UsageNode = { kind: 'event'; event: UsageEvent } | { kind: 'more'; read: number } | MessageNode;

interface Pages {
  active: ActiveConnection;
  key: UsageKey;
  events: UsageEvent[];
  nextToken?: string;
  /** The first page's read, while it runs. */
  first?: Promise<void>;
  problem?: MessageNode;
}

export class KeyUsageTreeProvider implements vscode.TreeDataProvider<UsageNode>, KeyUsageView, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<UsageNode | undefined | void>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly documents = new vscode.EventEmitter<vscode.Uri>();
  private pages: Pages | undefined;
  private view: vscode.TreeView<UsageNode> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  filter: UsageFilter = {};

  constructor(manager: ConnectionManager) {
    // Another connection: its keys are not this one's.
    this.subscriptions.push(
      manager.onDidChange((state) => {
        if (state.status === 'idle' && this.pages) {
          this.pages = undefined;
          this.changed();
        }
      }),
    );
  }

  /** Connects the TreeView (its title shows the key, its message the filters). */
  attach(view: vscode.TreeView<UsageNode>): void {
    this.view = view;
    // Attached at activation, before any key is shown: the view has no description or message yet and its
    // context keys are unset (false in `when` clauses), so there is nothing to send the workbench.
    if (this.pages || usageFilterActive(this.filter)) this.changed();
  }

  get key(): UsageKey | undefined {
    return this.pages?.key;
  }

  get events(): readonly UsageEvent[] {
    return this.pages?.events ?? [];
  }

  show(active: ActiveConnection, key: UsageKey): void {
    this.pages = { active, key, events: [] };
    this.changed();
  }

  setFilter(filter: UsageFilter): void {
    this.filter = { ...filter };
    this.changed();
  }

  reload(): void {
    if (this.pages) this.pages = { active: this.pages.active, key: this.pages.key, events: [] };
    this.changed();
  }

  async loadMore(): Promise<void> {
    const pages = this.pages;
    if (!pages?.nextToken) return;
    await this.read(pages, pages.nextToken);
    this.changed();
  }

  private changed(): void {
    const key = this.pages?.key;
    void vscode.commands.executeCommand('setContext', 'kmsExplorer.keyUsage.hasKey', Boolean(key));
    void vscode.commands.executeCommand('setContext', 'kmsExplorer.keyUsage.filtered', usageFilterActive(this.filter));
    void vscode.commands.executeCommand(
      'setContext',
      'kmsExplorer.keyUsage.errorsOnly',
      Boolean(this.filter.errorsOnly),
    );
    if (this.view) {
      this.view.description = key?.label;
      this.view.message = key ? describeUsageFilter(this.filter) : undefined;
    }
    this.emitter.fire();
  }

  /** Reads one page into `pages` (the first when `nextToken` is undefined); a failure becomes its message row. */
  private async read(pages: Pages, nextToken: string | undefined): Promise<void> {
    try {
      const { usage } = await loadKms();
      const trail = usage.trailFor(pages.active.connection, usage.keyRegion(pages.key.arn));
      const page = await usage.lookupKeyEvents(trail, pages.key.arn, { nextToken });
      pages.events.push(...page.events);
      pages.nextToken = page.nextToken;
      pages.problem = undefined;
    } catch (err) {
      const { usage } = await loadKms();
      const denied = usage.lookupDeniedReason(err);
      pages.problem = denied
        ? { kind: 'message', id: 'usage-denied', text: denied, severity: 'info' }
        : errorNode('usage-error', err);
    }
  }

  async getChildren(node?: UsageNode): Promise<UsageNode[]> {
    const pages = this.pages;
    if (node || !pages) return []; // no key yet: the view's welcome content offers to choose one
    if (pages.events.length === 0 && !pages.problem) {
      pages.first ??= Promise.resolve(
        vscode.window.withProgress({ location: { viewId: KEY_USAGE_VIEW_ID } }, () => this.read(pages, undefined)),
      );
      await pages.first;
    }
    const rows: UsageNode[] = pages.events
      .filter((e) => matchesUsageFilter(e, this.filter))
      .map((event) => ({ kind: 'event', event }));
    if (rows.length === 0 && !pages.problem) {
      const text =
        pages.events.length === 0
          ? `No CloudTrail events for ${pages.key.label} in the last 90 days`
          : `No events match the filters (${pages.events.length} read)`;
      rows.push({ kind: 'message', id: 'usage-empty', text, severity: 'info' });
    }
    if (pages.problem) rows.push(pages.problem);
    if (pages.nextToken) rows.push({ kind: 'more', read: pages.events.length });
    return rows;
  }

  getTreeItem(node: UsageNode): vscode.TreeItem {
    if (node.kind === 'message') {
      const item = messageItem(node);
      item.tooltip ??= node.text;
      return item;
    }
    if (node.kind === 'more') {
      const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
      item.id = `usage-more:${node.read}`;
      item.description = `${node.read} events read`;
      item.iconPath = new vscode.ThemeIcon('fold-down');
      item.contextValue = 'usageMore';
      item.command = { command: CommandIds.loadMoreKeyUsage, title: 'Load more' };
      return item;
    }
    const e = node.event;
    const item = new vscode.TreeItem(e.operation, vscode.TreeItemCollapsibleState.None);
    item.id = `usage-event:${e.eventId}`;
    item.description = [ago(e.time), e.principal, e.errorCode ?? (e.eventType === 'AwsServiceEvent' ? 'by KMS' : '')]
      .filter(Boolean)
      .join(' · ');
    item.tooltip = eventTooltip(e);
    item.iconPath = e.errorCode
      ? new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'))
      : new vscode.ThemeIcon(
          e.eventType === 'AwsServiceEvent' ? 'gear' : 'pass',
          new vscode.ThemeColor('charts.green'),
        );
    item.contextValue = e.errorCode ? 'usageEvent.error' : 'usageEvent.ok';
    item.command = { command: CommandIds.openUsageEvent, title: 'Open event', arguments: [e.eventId] };
    return item;
  }

  /** The event's CloudTrail JSON as a read-only document. */
  async openEvent(eventId: string): Promise<void> {
    const event = this.events.find((e) => e.eventId === eventId);
    if (!event) return;
    const name = `${event.operation} ${event.time.toISOString().replace(/[:.]/g, '-')}.json`;
    const uri = vscode.Uri.from({ scheme: USAGE_EVENT_SCHEME, path: `/${encodeURIComponent(eventId)}/${name}` });
    this.documents.fire(uri);
    await vscode.window.showTextDocument(uri, { preview: true });
  }

  /** The kms-usage-event: documents (one per event read): the record as CloudTrail gives it, indented. */
  registerDocuments(): vscode.Disposable {
    const events = () => this.events;
    return vscode.workspace.registerTextDocumentContentProvider(USAGE_EVENT_SCHEME, {
      onDidChange: this.documents.event,
      provideTextDocumentContent(uri) {
        const id = decodeURIComponent(uri.path.split('/')[1] ?? '');
        return events().find((e) => e.eventId === id)?.json ?? '{}';
      },
    });
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.emitter.dispose();
    this.documents.dispose();
  }
}

function eventTooltip(e: UsageEvent): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${escape(e.operation)}** ${escape(ago(e.time))}\n\n`);
  const rows: [string, string | undefined][] = [
    ['Time', formatDate(e.time)],
    ['Principal', e.principalArn ?? e.principal],
    ['Outcome', e.errorCode ? `${e.errorCode}${e.errorMessage ? `: ${e.errorMessage}` : ''}` : 'succeeded'],
    ['Encryption context', e.encryptionContext ? JSON.stringify(e.encryptionContext) : undefined],
    ['Source IP', e.sourceIpAddress],
    ['User agent', e.userAgent],
    ['Event ID', e.eventId],
  ];
  for (const [name, value] of rows) if (value) md.appendMarkdown(`${name}: ${code(value)}  \n`);
  return md;
}
