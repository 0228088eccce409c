// How keys, aliases, grants and errors look in the trees: icons per key state, tooltips, the
// contextValue scheme (key.<customer|aws>.<state>, alias.<customer|aws>, grant.<customer|aws>, folder.<name>).
import * as vscode from 'vscode';
import type { AliasListEntry, GrantListEntry } from '@aws-sdk/client-kms';
import { explainKmsError } from '../kms/errors';
import { formatDate } from '../ui/dates';
import { keyDescription, keyManagerKind, keyStateSlug, keyStateWords, type ListedKey } from '../kms/keys';

const STATE_ICONS: Record<string, [string, string]> = {
  enabled: ['key', 'charts.green'],
  disabled: ['circle-slash', 'disabledForeground'],
  pendingDeletion: ['trash', 'errorForeground'],
  pendingImport: ['cloud-upload', 'charts.yellow'],
  pendingReplicaDeletion: ['trash', 'errorForeground'],
  unavailable: ['warning', 'charts.yellow'],
  creating: ['loading', 'charts.blue'],
  updating: ['loading', 'charts.blue'],
  error: ['error', 'errorForeground'],
  describing: ['key', 'descriptionForeground'],
};

export function keyIcon(key: ListedKey): vscode.ThemeIcon {
  const [icon, color] = STATE_ICONS[keyStateSlug(key)] ?? ['key', 'foreground'];
  return new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
}

/**
 * key.<customer|aws>.<state>, with `.external` after an Enabled or Disabled key whose material was
 * imported (Origin EXTERNAL), the keys that offer Delete Imported Key Material.
 */
export function keyContextValue(key: ListedKey): string {
  const state = keyStateSlug(key);
  const imported =
    key.status === 'ok' && key.metadata.Origin === 'EXTERNAL' && (state === 'enabled' || state === 'disabled');
  return `key.${keyManagerKind(key)}.${state}${imported ? '.external' : ''}`;
}

export function keyItemDescription(key: ListedKey): string {
  if (key.status === 'pending') return '…';
  return key.status === 'ok' ? keyDescription(key.metadata) : `Error: ${explainKmsError(key.error).summary}`;
}

export function keyTooltip(key: ListedKey): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${escape(key.aliases[0] ?? key.keyId)}**\n\n`);
  const rows: [string, string | undefined][] = [
    ['ARN', key.arn],
    ['Key ID', key.keyId],
  ];
  if (key.status === 'ok') {
    const m = key.metadata;
    rows.push(
      ['State', keyStateWords(m.KeyState)],
      ['Key spec', m.KeySpec],
      ['Key usage', m.KeyUsage],
      ['Managed by', m.KeyManager === 'AWS' ? 'AWS' : 'Customer'],
      ['Created', m.CreationDate ? formatDate(m.CreationDate) : undefined],
      ['Deletion date', m.DeletionDate ? formatDate(m.DeletionDate) : undefined],
      ['Description', m.Description || '—'],
    );
  } else if (key.status === 'pending') {
    rows.push(['State', "reading the key's details…"]);
  } else {
    const explained = explainKmsError(key.error);
    rows.push(['Error', `${explained.code}: ${explained.summary}`]);
  }
  if (key.aliases.length > 0) rows.push(['Aliases', key.aliases.join(', ')]);
  for (const [name, value] of rows) if (value !== undefined) md.appendMarkdown(`${name}: ${code(value)}  \n`);
  return md;
}

export function aliasTooltip(alias: AliasListEntry): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${escape(alias.AliasName ?? '')}**\n\n`);
  md.appendMarkdown(`ARN: ${code(alias.AliasArn ?? '—')}  \n`);
  md.appendMarkdown(`Target key: ${code(alias.TargetKeyId ?? 'none yet (AWS creates the key on first use)')}  \n`);
  if (alias.CreationDate) md.appendMarkdown(`Created: ${code(formatDate(alias.CreationDate))}  \n`);
  return md;
}

export function grantDescription(grant: GrantListEntry): string {
  return (grant.Operations ?? []).join(', ');
}

export function grantTooltip(grant: GrantListEntry): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**Grant ${escape(grant.Name || grant.GrantId || '')}**\n\n`);
  const rows: [string, string | undefined][] = [
    ['Grant ID', grant.GrantId],
    ['Name', grant.Name],
    ['Grantee', grant.GranteePrincipal],
    ['Retiring principal', grant.RetiringPrincipal],
    ['Issued by', grant.IssuingAccount],
    ['Operations', grantDescription(grant) || undefined],
    ['Created', grant.CreationDate ? formatDate(grant.CreationDate) : undefined],
  ];
  const c = grant.Constraints;
  if (c?.EncryptionContextEquals) rows.push(['Context equals', JSON.stringify(c.EncryptionContextEquals)]);
  if (c?.EncryptionContextSubset) rows.push(['Context subset', JSON.stringify(c.EncryptionContextSubset)]);
  for (const [name, value] of rows) if (value) md.appendMarkdown(`${name}: ${code(value)}  \n`);
  return md;
}

/** Inline code that survives backticks in the value. */
export function code(value: string): string {
  return '`` ' + value.replace(/`/g, "'") + ' ``';
}

export function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|]/g, '\\$&');
}
