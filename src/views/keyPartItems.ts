// TreeItems for the parts of a key: the Aliases / Grants / Tags folders, tags, the Key policy leaf,
// the Rotation node and its past rotations. contextValues: folder.<name>.<m>, tag.<m>, policy.<m>,
// rotation.<m>.<enabled|disabled|unsupported|error>, rotationEntry.<m>, publicKey.<m> (m = customer | aws).
import * as vscode from 'vscode';
import { keyManagerKind } from '../kms/keys';
import { CommandIds } from '../ui/commandIds';
import type {
  KeyFolderName,
  KeyFolderNode,
  PolicyNode,
  PublicKeyNode,
  RotationEntryNode,
  RotationNode,
  TagNode,
} from '../ui/treeNodes';
import { formatDate } from '../ui/dates';
import { code, escape } from './presentation';

const FOLDERS: Record<KeyFolderName, { label: string; icon: string }> = {
  aliases: { label: 'Aliases', icon: 'link' },
  grants: { label: 'Grants', icon: 'workspace-trusted' },
  tags: { label: 'Tags', icon: 'tag' },
};

export function folderItem(node: KeyFolderNode): vscode.TreeItem {
  const { label, icon } = FOLDERS[node.folder];
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `key:${node.key.arn}/${node.folder}`;
  if (node.folder === 'aliases') item.description = String(node.key.aliases.length);
  item.iconPath = new vscode.ThemeIcon(icon);
  item.contextValue = `folder.${node.folder}.${keyManagerKind(node.key)}`;
  return item;
}

export function tagItem(node: TagNode): vscode.TreeItem {
  const tagKey = node.tag.TagKey ?? '';
  const item = new vscode.TreeItem(tagKey, vscode.TreeItemCollapsibleState.None);
  item.id = `key:${node.key.arn}/tag:${tagKey}`;
  item.description = node.tag.TagValue ?? '';
  item.tooltip = new vscode.MarkdownString(`Tag ${code(tagKey)} = ${code(node.tag.TagValue ?? '')}`);
  item.iconPath = new vscode.ThemeIcon('tag');
  item.contextValue = `tag.${keyManagerKind(node.key)}`;
  return item;
}

export function policyItem(node: PolicyNode): vscode.TreeItem {
  const item = new vscode.TreeItem('Key policy', vscode.TreeItemCollapsibleState.None);
  item.id = `key:${node.key.arn}/policy:${node.policyName}`;
  item.description = node.policyName;
  item.tooltip = new vscode.MarkdownString(
    'Open the key policy as a JSON document' + (keyManagerKind(node.key) === 'aws' ? ' (AWS manages this key)' : ''),
  );
  item.iconPath = new vscode.ThemeIcon('shield');
  item.contextValue = `policy.${keyManagerKind(node.key)}`;
  item.command = { command: CommandIds.openKeyPolicy, title: 'Open Key Policy', arguments: [node] };
  return item;
}

export function publicKeyItem(node: PublicKeyNode): vscode.TreeItem {
  const item = new vscode.TreeItem('Public key', vscode.TreeItemCollapsibleState.None);
  item.id = `key:${node.key.arn}/publicKey`;
  const spec = node.key.status === 'ok' ? node.key.metadata.KeySpec : undefined;
  item.description = spec;
  item.tooltip = new vscode.MarkdownString(
    `The ${spec ?? ''} public key: share it freely to verify signatures or encrypt for this key. Download it as PEM.`,
  );
  item.iconPath = new vscode.ThemeIcon('unlock');
  item.contextValue = `publicKey.${keyManagerKind(node.key)}`;
  return item;
}

export function rotationItem(node: RotationNode): vscode.TreeItem {
  const r = node.rotation;
  const manager = keyManagerKind(node.key);
  const item = new vscode.TreeItem(
    'Rotation',
    r.state === 'known' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
  );
  item.id = `key:${node.key.arn}/rotation`;
  const md = new vscode.MarkdownString('**Automatic key rotation**\n\n');
  if (r.state === 'unsupported') {
    item.description = 'Not supported';
    item.iconPath = new vscode.ThemeIcon('sync-ignored', new vscode.ThemeColor('disabledForeground'));
    item.contextValue = `rotation.${manager}.unsupported`;
    md.appendMarkdown(`Not supported: ${escape(r.reason)}.`);
  } else if (r.state === 'error') {
    item.description = `Unknown: ${r.error.summary}`;
    item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('charts.yellow'));
    item.contextValue = `rotation.${manager}.error`;
    md.appendMarkdown(
      `Could not read the rotation status: ${code(`${r.error.code}: ${r.error.detail ?? r.error.summary}`)}`,
    );
  } else {
    const s = r.status;
    const parts = [s.enabled ? `Every ${s.periodInDays ?? 365} days` : 'Disabled'];
    if (s.enabled && s.nextRotationDate) parts.push(`next ${formatDay(s.nextRotationDate)}`);
    if (s.onDemandRotationStartDate) parts.push('rotating now');
    item.description = parts.join(' · ');
    item.iconPath = new vscode.ThemeIcon(
      s.enabled ? 'sync' : 'sync-ignored',
      s.enabled ? new vscode.ThemeColor('charts.green') : undefined,
    );
    item.contextValue = `rotation.${manager}.${s.enabled ? 'enabled' : 'disabled'}`;
    md.appendMarkdown(`Enabled: ${code(s.enabled ? 'yes' : 'no')}  \n`);
    if (s.periodInDays) md.appendMarkdown(`Period: ${code(`${s.periodInDays} days`)}  \n`);
    if (s.nextRotationDate) md.appendMarkdown(`Next rotation: ${code(formatDate(s.nextRotationDate))}  \n`);
    if (s.onDemandRotationStartDate)
      md.appendMarkdown(`On-demand rotation started: ${code(formatDate(s.onDemandRotationStartDate))}  \n`);
    md.appendMarkdown('\nExpand to see past rotations.');
  }
  item.tooltip = md;
  return item;
}

export function rotationEntryItem(node: RotationEntryNode): vscode.TreeItem {
  const { RotationDate, RotationType, KeyMaterialId } = node.entry;
  const when = RotationDate ? formatDate(RotationDate) : 'Unknown date';
  const item = new vscode.TreeItem(when, vscode.TreeItemCollapsibleState.None);
  item.id = `key:${node.key.arn}/rotation/${RotationDate?.toISOString() ?? ''}/${KeyMaterialId ?? ''}`;
  item.description =
    RotationType === 'ON_DEMAND' ? 'On demand' : RotationType === 'AUTOMATIC' ? 'Automatic' : (RotationType ?? '');
  if (KeyMaterialId) item.tooltip = new vscode.MarkdownString(`Key material ${code(KeyMaterialId)}`);
  item.iconPath = new vscode.ThemeIcon('history');
  item.contextValue = `rotationEntry.${keyManagerKind(node.key)}`;
  return item;
}

function formatDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
