// The Access node of a customer managed key: who may do what with it, read from the key policy (GetKeyPolicy) and
// the key's grants when expanded, summarised by src/policy/access.ts — groups as the console has them (the account's
// IAM policies, key administrators, key users, …), their principals, each principal's operations with conditions in
// words. An operation opens the statement it comes from (selected in the key policy document) or its grant.
// contextValues: access, accessGroup.<group>, accessPrincipal, accessEntry.<statement|grant>.
import * as vscode from 'vscode';
import type { ActiveConnection } from '../connection/manager';
import { keyManagerKind, type CatalogKey } from '../kms/keys';
import { loadKms } from '../kms/load';
import type { AccessEntry, AccessGroupName } from '../policy/access';
import { CommandIds } from '../ui/commandIds';
import type { AccessNode, TreeNode } from '../ui/treeNodes';
import { code, escape } from './presentation';

/** The Access node for a key: customer managed keys only (AWS manages the others' policies). */
export function accessNodes(key: CatalogKey): TreeNode[] {
  return keyManagerKind(key) === 'customer' ? [{ kind: 'access', key, level: 'root' }] : [];
}

/** The account that owns a key, from its ARN. */
const keyAccount = (key: CatalogKey) => key.arn.split(':')[4] ?? '';

export async function accessChildren(node: AccessNode, active: ActiveConnection): Promise<TreeNode[]> {
  const key = node.key;
  switch (node.level) {
    case 'root': {
      const { keyPolicy, policy: evaluator } = await loadKms();
      const { getKeyPolicy } = keyPolicy;
      const { grantInfo, parsePolicy, summarizeAccess } = evaluator;
      const [text, grants] = await Promise.all([
        getKeyPolicy(active.connection.client, key.arn),
        active.catalog.grants(key.keyId),
      ]);
      let policy;
      try {
        policy = parsePolicy(text, { kind: 'resource' });
      } catch (err) {
        // The evaluator lives in the lazy chunk: its PolicyError is known by name here.
        if ((err as Error | undefined)?.name !== 'PolicyError') throw err;
        return [
          {
            kind: 'message',
            id: `${key.arn}/access/unreadable`,
            text: `Key policy not understood: ${(err as Error).message}`,
            severity: 'error',
          },
        ];
      }
      const groups = summarizeAccess(policy, grants.map(grantInfo), keyAccount(key));
      if (groups.length === 0)
        return [{ kind: 'message', id: `${key.arn}/access/none`, text: 'Nobody may use this key', severity: 'info' }];
      return groups.map((group) => ({ kind: 'access', key, level: 'group', group }));
    }
    case 'group':
      return node.group.principals.map((principal) => ({
        kind: 'access',
        key,
        level: 'principal',
        group: node.group,
        principal,
      }));
    case 'principal':
      return node.principal.entries.map((entry) => ({
        kind: 'access',
        key,
        level: 'entry',
        principal: node.principal,
        entry,
      }));
    case 'entry':
      return [];
  }
}

const GROUP_ICONS: Record<AccessGroupName, string> = {
  account: 'organization',
  administrators: 'tools',
  users: 'person',
  other: 'question',
  denied: 'circle-slash',
  grants: 'workspace-trusted',
};

const sourceWords = (e: AccessEntry) =>
  e.source.kind === 'statement'
    ? e.source.sid
      ? `statement "${e.source.sid}"`
      : `statement #${e.source.index + 1}`
    : `grant ${e.source.name ? `"${e.source.name}" ` : ''}${e.source.grantId}`;
const sourceId = (e: AccessEntry) => (e.source.kind === 'statement' ? `s${e.source.index}` : `g${e.source.grantId}`);

export function accessItem(node: AccessNode): vscode.TreeItem {
  const base = `key:${node.key.arn}/access`;
  const Collapsed = vscode.TreeItemCollapsibleState.Collapsed;
  switch (node.level) {
    case 'root': {
      const item = new vscode.TreeItem('Access', Collapsed);
      item.id = base;
      item.tooltip = new vscode.MarkdownString(
        'Who may use this key: the principals the key policy names, grouped as the console groups them, and the grantees of its grants.',
      );
      item.iconPath = new vscode.ThemeIcon('organization');
      item.contextValue = 'access';
      return item;
    }
    case 'group': {
      const g = node.group;
      const item = new vscode.TreeItem(g.label, Collapsed);
      item.id = `${base}/${g.group}`;
      item.description = String(g.principals.length);
      if (g.group === 'account')
        item.tooltip = new vscode.MarkdownString(
          'The key policy allows the account root `kms:*`: any IAM user or role of the account whose IAM policies allow an operation may call it.',
        );
      item.iconPath = new vscode.ThemeIcon(GROUP_ICONS[g.group]);
      item.contextValue = `accessGroup.${g.group}`;
      return item;
    }
    case 'principal': {
      const p = node.principal;
      const item = new vscode.TreeItem(p.label, Collapsed);
      item.id = `${base}/${node.group.group}/${p.principal}`;
      const warning = p.publicAccess ? 'public access' : p.otherAccount ? `account ${p.otherAccount}` : undefined;
      const count = `${p.entries.length} operation${p.entries.length === 1 ? '' : 's'}`;
      item.description = warning ? `${count} · ${warning}` : count;
      item.tooltip = new vscode.MarkdownString(
        `${code(p.principal)}${warning ? `\n\n$(warning) ${escape(warning)}` : ''}`,
        true,
      );
      item.iconPath = new vscode.ThemeIcon(
        warning ? 'warning' : p.principal.includes(':role/') ? 'server-process' : 'account',
        warning ? new vscode.ThemeColor('charts.yellow') : undefined,
      );
      item.contextValue = 'accessPrincipal';
      return item;
    }
    case 'entry': {
      const e = node.entry;
      const label = e.action === 'kms:*' ? 'kms:* (all operations)' : e.action;
      const item = new vscode.TreeItem(
        e.effect === 'Deny' ? `Denied: ${label}` : label,
        vscode.TreeItemCollapsibleState.None,
      );
      item.id = `${base}/${node.principal.principal}/${e.effect}/${e.action}/${sourceId(e)}`;
      item.description = [...e.conditions, sourceWords(e)].join(' · ');
      const md = new vscode.MarkdownString(`**${escape(label)}** for ${code(node.principal.principal)}\n\n`);
      md.appendMarkdown(`${e.effect === 'Deny' ? 'Denied' : 'Allowed'} by ${escape(sourceWords(e))}`);
      for (const c of e.conditions) md.appendMarkdown(`\n\n- ${escape(c)}`);
      md.appendMarkdown(
        `\n\nOpen to see the ${e.source.kind === 'statement' ? 'statement in the key policy' : 'grant'}.`,
      );
      item.tooltip = md;
      item.iconPath = new vscode.ThemeIcon(
        e.effect === 'Deny' ? 'circle-slash' : e.conditions.length ? 'filter' : 'pass',
      );
      item.contextValue = `accessEntry.${e.source.kind}`;
      item.command = { command: CommandIds.revealAccessSource, title: 'Show where this comes from', arguments: [node] };
      return item;
    }
  }
}
