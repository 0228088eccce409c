// The "Keys" view: "Customer managed keys" and "AWS managed keys" groups; each key (labelled by its
// first alias, else its id; described by state · key spec) expands to "Aliases", "Grants" and "Tags"
// folders whose children load on expand, a "Key policy" leaf (opens the policy document) and a
// "Rotation" node (status read on expand; its children are past rotations). Keys, aliases and grants
// come from the connection's KeyCatalog (cached until refresh); tags and rotation are read on expand.
// The keys paint as soon as the first ListKeys page is read (KeyCatalog.listed) and fill in as DescribeKey
// answers arrive: at most every 100 ms while answers come, the described keys that are shown re-render (the
// whole view only when later key pages, aliases or groups changed).
import * as vscode from 'vscode';
import { loadKms } from '../kms/load';
import type { ActiveConnection } from '../connection/manager';
import type { CatalogUpdate, KeyCatalog } from '../kms/catalog';
import {
  hasPublicKey,
  keyLabel,
  keyManagerKind,
  regionOfArn,
  type CatalogKey,
  type KeyManagerKind,
  type ListedKey,
} from '../kms/keys';
import { explainKmsError } from '../kms/errors';
import { mapLimit } from '../kms/concurrency';
import { filterNeedsTags, keyMatches } from './keyFilter';
import { KeysViewState } from './keysViewState';
import { regionOfTarget } from '../ui/regionTarget';
import type { KeyFolderName, KeyGroupNode, KeyNode, RotationNode, TreeNode } from '../ui/treeNodes';
import {
  grantDescription,
  grantTooltip,
  keyContextValue,
  keyIcon,
  keyItemDescription,
  keyTooltip,
} from './presentation';
import { folderItem, policyItem, publicKeyItem, rotationEntryItem, rotationItem, tagItem } from './keyPartItems';
import { multiRegionItem, multiRegionNodes, relatedKeyItem, relatedKeyNodes, withRole } from './multiRegionItems';
import { RegionRoots, regionItem } from './regionRoots';
import { messageItem, TreeBase } from './treeBase';
import { KeyLastUseCache, withLastUse } from './keyLastUse';
import { accessChildren, accessItem, accessNodes } from './accessItems';

export const KEYS_VIEW_ID = 'kmsExplorer.keys';

const GROUP_LABELS: Record<KeyManagerKind, string> = { customer: 'Customer managed keys', aws: 'AWS managed keys' };

export class KeysTreeProvider extends TreeBase {
  /** The filter and the AWS managed toggle (KeysViewState.attach connects the TreeView). */
  readonly viewState = new KeysViewState();
  /**
   * Key nodes and their part nodes as last given to VS Code, by "<region>/<keyId>" or "<region>/<keyId>/<part>":
   * refresh needs the same objects (a multi-Region key has the same id in every Region).
   */
  private readonly rendered = new Map<string, TreeNode>();
  /** The catalogs (one per Region shown) whose updates re-render the view. */
  private readonly watched = new Map<KeyCatalog, { dispose(): void }>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** The keys the catalog updated since the last flush, by renderedId, and whether labels or groups changed. */
  private readonly changed = new Map<string, ListedKey>();
  private regroup = false;
  /** GetKeyLastUsage of the keys the user hovers or selects (keyLastUse.ts). */
  private readonly lastUse = new KeyLastUseCache();
  /** The keys expanded in the view, by renderedId (extension.ts forwards the TreeView's expand and collapse). */
  private readonly expanded = new Set<string>();
  /** Expanded keys whose last use became known since they were rendered: re-rendered when collapsed. */
  private readonly lastUseUnshown = new Set<string>();
  /** The Regions shown: one (the tree as it always was) or several (a top-level node each). */
  private readonly regions = new RegionRoots(this.manager);
  /** The filter's matches per Region shown, summed for the view's message. */
  private readonly matches = new Map<string, { matched: number; total: number }>();

  override async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    const children = await super.getChildren(node);
    this.forgetGone(node, children);
    for (const child of children) {
      if (child.kind === 'key') this.rendered.set(renderedId(child.key), child);
      else if (child.kind === 'folder') this.rendered.set(`${renderedId(child.key)}/${child.folder}`, child);
      else if (child.kind === 'rotation') this.rendered.set(`${renderedId(child.key)}/rotation`, child);
    }
    return children;
  }

  /** Drops the rendered nodes of keys that a new render of the whole tree, or of their group, no longer shows. */
  private forgetGone(parent: TreeNode | undefined, children: TreeNode[]): void {
    if (!parent) {
      this.rendered.clear();
      return;
    }
    if (parent.kind !== 'group') return;
    const shown = new Set(children.flatMap((c) => (c.kind === 'key' ? [c.key.arn] : [])));
    const region = regionOfTarget(parent);
    for (const [id, n] of this.rendered) {
      if (
        'key' in n &&
        keyManagerKind(n.key) === parent.manager &&
        (!region || regionOfTarget(n) === region) &&
        !shown.has(n.key.arn)
      )
        this.rendered.delete(id);
    }
  }

  /**
   * Re-renders one key (its item and, if expanded, its parts) after the caller invalidated it in the
   * catalog, or only one of its parts. A key that is not shown yet needs nothing: it loads fresh.
   */
  async refreshKey(active: ActiveConnection, keyId: string, part?: KeyFolderName | 'rotation'): Promise<void> {
    const id = `${active.connection.region}/${keyId}`;
    const node = this.rendered.get(part ? `${id}/${part}` : id);
    if (!node) return;
    if (node.kind === 'key') {
      const fresh = await active.catalog.find(keyId);
      if (!fresh) {
        // Gone: the group changes, and what the view remembered of the key goes with it.
        this.expanded.delete(id);
        this.lastUseUnshown.delete(id);
        return this.refresh();
      }
      // A DescribeKey answer still waiting for the next flush was read before this change (the sweep it came from
      // finished before the catalog read the key again): the flush must not put it back.
      this.changed.delete(renderedId(fresh));
      node.key = fresh;
    } else if (node.kind === 'rotation') {
      node.rotation = (await rotationNode(node.key, active)).rotation; // the status shows in the item itself
    }
    this.refresh(node);
  }

  protected async getRoots(active: ActiveConnection): Promise<TreeNode[]> {
    this.matches.clear();
    this.unwatchAll();
    const regions = await this.regions.roots(active);
    return regions ?? this.groups(active);
  }

  /**
   * The groups with the keys the filter lets through (tags read, cached, only for a tag: filter);
   * `region` when they sit under their Region's node.
   */
  private async groups(active: ActiveConnection, region?: string): Promise<KeyGroupNode[]> {
    this.watch(active.catalog);
    const filter = this.viewState.filter;
    // A filter reads state, spec and description: it waits for every key to be described.
    const keys: ListedKey[] = filter ? await active.catalog.keys() : await active.catalog.listed();
    const managers = this.viewState.awsManagedHidden ? (['customer'] as const) : (['customer', 'aws'] as const);
    const visible = keys.filter((k) => managers.includes(keyManagerKind(k) as 'customer'));
    let matching = visible;
    if (filter) {
      const tags = filterNeedsTags(filter)
        ? await mapLimit(visible, 16, (k) => active.catalog.tags(k.keyId).catch(() => []))
        : visible.map(() => []);
      matching = visible.filter((k, i) => keyMatches(k, filter, tags[i]));
    }
    this.matches.set(region ?? '', { matched: matching.length, total: visible.length });
    const sums = [...this.matches.values()];
    this.viewState.reportMatches(
      sums.reduce((n, m) => n + m.matched, 0),
      sums.reduce((n, m) => n + m.total, 0),
    );
    return managers.map((manager) => ({
      kind: 'group',
      manager,
      keys: matching.filter((k) => keyManagerKind(k) === manager),
      total: filter ? visible.filter((k) => keyManagerKind(k) === manager).length : undefined,
      ...(region ? { region } : {}),
    }));
  }

  /** Follows `catalog`'s updates (the catalogs of the Regions shown; a render of the whole tree starts over). */
  private watch(catalog: KeyCatalog): void {
    if (!this.watched.has(catalog))
      this.watched.set(
        catalog,
        catalog.onDidUpdate((update) => this.onCatalogUpdate(update)),
      );
  }

  private unwatchAll(): void {
    for (const subscription of this.watched.values()) subscription.dispose();
    this.watched.clear();
  }

  private onCatalogUpdate(update: CatalogUpdate): void {
    // Aliases change labels, so order and possibly groups; a failed sweep shows in the groups.
    if (update.reason !== 'described') this.regroup = true;
    for (const key of update.keys) this.changed.set(renderedId(key), key);
    // Answers arrive by the hundred per second: the view is re-rendered at most once per 100 ms.
    this.flushTimer ??= setTimeout(() => this.flush(), 100);
  }

  /**
   * Re-renders what the answers since the last flush changed: each described key that is shown (its item; its
   * parts if expanded), or the whole tree when labels or groups changed. Only the keys: re-rendering the
   * whole tree while the user expands a key's parts would drop them — at a whole-tree refresh VS Code forgets
   * every element and cancels the children still being fetched, and an expanded node then stays empty.
   */
  private flush(): void {
    this.flushTimer = undefined;
    const changed = [...this.changed.entries()];
    this.changed.clear();
    let regroup = this.regroup;
    this.regroup = false;
    const shown: KeyNode[] = [];
    for (const [id, key] of changed) {
      const node = this.rendered.get(id);
      if (node?.kind !== 'key') continue; // not shown: its group loads it as it is now
      // A key listed as customer managed that DescribeKey says AWS manages (or the reverse) changes group.
      if (keyManagerKind(node.key) !== keyManagerKind(key)) regroup = true;
      node.key = key;
      shown.push(node);
    }
    if (regroup) return this.refresh();
    for (const node of shown) this.refresh(node);
  }

  override dispose(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.unwatchAll();
    super.dispose();
  }

  /** Parents, for TreeView.reveal of keys and their parts. */
  async getParent(node: TreeNode): Promise<TreeNode | undefined> {
    if (node.kind === 'region' || node.kind === 'message') return undefined;
    if (node.kind === 'group') return this.regions.parentOf(node);
    if (node.kind === 'key') {
      const region = regionOfTarget(node);
      const active = await this.manager.forRegion(region);
      const groups = await this.groups(active, this.regions.several ? region : undefined);
      return groups.find((g) => g.manager === keyManagerKind(node.key));
    }
    if (node.kind === 'alias')
      return node.parent ? { kind: 'folder', folder: 'aliases', key: node.parent.key } : undefined;
    if (node.kind === 'grant') return { kind: 'folder', folder: 'grants', key: node.key };
    if (node.kind === 'tag') return { kind: 'folder', folder: 'tags', key: node.key };
    if (node.kind === 'rotationEntry') return undefined;
    if (node.kind === 'relatedKey') return { kind: 'multiRegion', key: node.of };
    return { kind: 'key', key: node.key };
  }

  protected async getNodeChildren(node: TreeNode, home: ActiveConnection): Promise<TreeNode[]> {
    // A node under another Region's node: that Region's client and catalog (one slow or failing Region
    // shows its own error node; the base class catches it).
    const region = regionOfTarget(node);
    const active = region ? await this.manager.forRegion(region) : home;
    switch (node.kind) {
      case 'region':
        return this.groups(active, node.region);
      case 'group': {
        // From the catalog, not node.keys: a refreshed key may have changed since the group was made.
        const group = (await this.groups(active, node.region)).find((g) => g.manager === node.manager);
        if (!group || group.keys.length === 0) {
          const text = group?.total ? 'No keys match the filter' : 'No keys in this account and region';
          const id = `empty:${node.region ? `${node.region}:` : ''}${node.manager}`;
          return [{ kind: 'message', id, text, severity: 'info' }];
        }
        const sorted = [...group.keys].sort(byLabel);
        // The user is looking at this group: its keys are described first.
        active.catalog.prioritize(sorted.filter((k) => k.status === 'pending').map((k) => k.keyId));
        return sorted.map((key) => ({ kind: 'key', key }));
      }
      case 'key':
        // Expanded before DescribeKey answered: describe this key now (it goes first), then show its parts.
        if (node.key.status === 'pending') node.key = (await active.catalog.find(node.key.keyId)) ?? node.key;
        if (node.key.status === 'pending') return [];
        return [
          { kind: 'folder', folder: 'aliases', key: node.key },
          { kind: 'folder', folder: 'grants', key: node.key },
          { kind: 'folder', folder: 'tags', key: node.key },
          { kind: 'policy', key: node.key, policyName: 'default' },
          ...accessNodes(node.key),
          await rotationNode(node.key, active),
          ...(node.key.status === 'ok' && hasPublicKey(node.key.metadata.KeySpec)
            ? [{ kind: 'publicKey', key: node.key } as const]
            : []),
          ...multiRegionNodes(node.key),
        ];
      case 'folder': {
        const key = node.key;
        const none = (what: string): TreeNode[] => [
          { kind: 'message', id: `${key.arn}/no-${node.folder}`, text: `No ${what}`, severity: 'info' },
        ];
        if (node.folder === 'aliases') {
          const aliases = (await active.catalog.aliases()).filter((a) => a.TargetKeyId === key.keyId);
          return aliases.length === 0
            ? none('aliases')
            : aliases.map((alias) => ({ kind: 'alias', alias, parent: { kind: 'key', key } }));
        }
        if (node.folder === 'grants') {
          const grants = await active.catalog.grants(key.keyId);
          return grants.length === 0 ? none('grants') : grants.map((grant) => ({ kind: 'grant', grant, key }));
        }
        const tags = [...(await active.catalog.tags(key.keyId))].sort((a, b) =>
          (a.TagKey ?? '').localeCompare(b.TagKey ?? ''),
        );
        return tags.length === 0 ? none('tags') : tags.map((tag) => ({ kind: 'tag', tag, key }));
      }
      case 'rotation': {
        if (node.rotation.state !== 'known') return [];
        const { listAllKeyRotations } = (await loadKms()).rotationInfo;
        const entries = await listAllKeyRotations(active.connection.client, node.key.arn);
        if (entries.length === 0)
          return [{ kind: 'message', id: `${node.key.arn}/no-rotations`, text: 'No rotations yet', severity: 'info' }];
        // Newest first: the question is usually "when did it last rotate?".
        return [...entries].reverse().map((entry) => ({ kind: 'rotationEntry', entry, key: node.key }));
      }
      case 'access':
        return accessChildren(node, active);
      case 'multiRegion':
        return relatedKeyNodes(node);
      default:
        return [];
    }
  }

  /** A key's tooltip on hover, with its last use (GetKeyLastUsage for this key only). */
  async resolveTreeItem(item: vscode.TreeItem, node: TreeNode): Promise<vscode.TreeItem> {
    if (node.kind !== 'key') return item;
    // Without a connection the tooltip shows what is known (the read itself never throws).
    await this.manager.forRegion(regionOfArn(node.key.arn)).then(
      (active) => this.lastUse.read(node.key, active),
      () => undefined,
    );
    item.tooltip = withLastUse(keyTooltip(node.key), this.lastUse.tooltipLines(node.key));
    return item;
  }

  /**
   * Reads the last use of selected keys and shows it in their description (a hovered key's shows on its next
   * render). Not at once for an expanded key: re-rendering a key makes VS Code forget its parts and fetch them
   * again, and a part the user expands meanwhile (a click on a key selects and expands it; the next click is
   * often on one of its parts) stays empty. Its tooltip shows the last use; its description does once collapsed.
   */
  showLastUse(nodes: readonly TreeNode[]): void {
    for (const selected of nodes) {
      if (selected.kind !== 'key') continue;
      const id = renderedId(selected.key);
      const node = this.shownKey(id, selected);
      if (!this.lastUse.stale(node.key)) continue;
      void this.manager
        .forRegion(regionOfArn(node.key.arn))
        .then((active) => this.lastUse.read(node.key, active))
        .then(
          () => (this.expanded.has(id) ? this.lastUseUnshown.add(id) : this.refresh(node)),
          () => undefined,
        );
    }
  }

  /** Follows the view's expansion of keys; a collapsed key shows the last use read while it was expanded. */
  setExpanded(node: TreeNode, expanded: boolean): void {
    if (node.kind !== 'key') return;
    const id = renderedId(node.key);
    if (expanded) {
      this.expanded.add(id);
      return;
    }
    this.expanded.delete(id);
    if (this.lastUseUnshown.delete(id)) this.refresh(this.shownKey(id, node));
  }

  /** The key node the view shows under `id` (the one a refresh must name), else `node` itself. */
  private shownKey(id: string, node: KeyNode): KeyNode {
    const shown = this.rendered.get(id);
    return shown?.kind === 'key' ? shown : node;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'region':
        return regionItem(node);
      case 'group': {
        const item = new vscode.TreeItem(
          GROUP_LABELS[node.manager],
          node.manager === 'customer'
            ? vscode.TreeItemCollapsibleState.Expanded
            : vscode.TreeItemCollapsibleState.Collapsed,
        );
        item.id = node.region ? `group:${node.region}:${node.manager}` : `group:${node.manager}`;
        item.description = node.total === undefined ? String(node.keys.length) : `${node.keys.length} of ${node.total}`;
        item.contextValue = `group.${node.manager}`;
        item.iconPath = new vscode.ThemeIcon(node.manager === 'customer' ? 'account' : 'cloud');
        return item;
      }
      case 'key': {
        const key = node.key;
        const item = new vscode.TreeItem(keyLabel(key), vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `key:${key.arn}`;
        item.description = [withRole(keyItemDescription(key), key), this.lastUse.describe(key)]
          .filter(Boolean)
          .join(' · ');
        // Left undefined until the last use is read: VS Code then asks resolveTreeItem on hover.
        item.tooltip = this.lastUse.stale(key)
          ? undefined
          : withLastUse(keyTooltip(key), this.lastUse.tooltipLines(key));
        item.iconPath = keyIcon(key);
        item.contextValue = keyContextValue(key);
        return item;
      }
      case 'folder':
        return folderItem(node);
      case 'tag':
        return tagItem(node);
      case 'policy':
        return policyItem(node);
      case 'rotation':
        return rotationItem(node);
      case 'rotationEntry':
        return rotationEntryItem(node);
      case 'publicKey':
        return publicKeyItem(node);
      case 'multiRegion':
        return multiRegionItem(node);
      case 'relatedKey':
        return relatedKeyItem(node);
      case 'alias': {
        const name = node.alias.AliasName ?? '';
        const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.None);
        item.id = `key:${node.parent?.key.arn ?? ''}/alias:${name}`;
        item.iconPath = new vscode.ThemeIcon('link');
        item.contextValue = `alias.${name.startsWith('alias/aws/') ? 'aws' : 'customer'}`;
        return item;
      }
      case 'grant': {
        const grant = node.grant;
        const item = new vscode.TreeItem(
          grant.GranteePrincipal ?? grant.Name ?? grant.GrantId ?? 'Grant',
          vscode.TreeItemCollapsibleState.None,
        );
        item.id = `key:${node.key.arn}/grant:${grant.GrantId}`;
        item.description = grantDescription(grant);
        item.tooltip = grantTooltip(grant);
        item.iconPath = new vscode.ThemeIcon('person');
        item.contextValue = `grant.${keyManagerKind(node.key)}`;
        return item;
      }
      case 'access':
        return accessItem(node);
      case 'message':
        return messageItem(node);
    }
  }
}

/** The Rotation node of a key: unsupported decided from metadata; otherwise GetKeyRotationStatus now, an error kept in the node. */
async function rotationNode(key: CatalogKey, active: ActiveConnection): Promise<RotationNode> {
  const { getRotationStatus, rotationUnsupportedReason } = (await loadKms()).rotationInfo;
  const reason = key.status === 'ok' ? rotationUnsupportedReason(key.metadata) : undefined;
  if (reason) return { kind: 'rotation', key, rotation: { state: 'unsupported', reason } };
  try {
    return {
      kind: 'rotation',
      key,
      rotation: { state: 'known', status: await getRotationStatus(active.connection.client, key.arn) },
    };
  } catch (err) {
    return { kind: 'rotation', key, rotation: { state: 'error', error: explainKmsError(err) } };
  }
}

/** "<region>/<keyId>": a multi-Region key has the same id in each of its Regions. */
function renderedId(key: ListedKey): string {
  return `${regionOfTarget(key.arn) ?? ''}/${key.keyId}`;
}

function byLabel(a: ListedKey, b: ListedKey): number {
  return keyLabel(a).localeCompare(keyLabel(b));
}
