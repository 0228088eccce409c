// What the user chose to see in the Keys view: the filter text and whether AWS managed keys show.
// Kept in workspaceState (so it survives a reload), reflected in the view's description ("filter: …")
// and message ("3 of 12 keys match …"), and in context keys for the title-bar buttons:
// kmsExplorer.keysFiltered, kmsExplorer.awsManagedKeysHidden.
import * as vscode from 'vscode';
import { parseKeyFilter, type KeyFilter } from './keyFilter';

const FILTER_KEY = 'kmsExplorer.keys.filter';
const HIDE_AWS_KEY = 'kmsExplorer.keys.hideAwsManaged';

export class KeysViewState {
  private view: vscode.TreeView<unknown> | undefined;
  private memento: vscode.Memento | undefined;
  private filterText = '';
  private parsed: KeyFilter | undefined;
  private hideAws = false;

  get filter(): KeyFilter | undefined {
    return this.parsed;
  }

  get awsManagedHidden(): boolean {
    return this.hideAws;
  }

  /** Connects the TreeView and loads the saved choices. */
  attach(view: vscode.TreeView<unknown>, memento: vscode.Memento): void {
    this.view = view;
    this.memento = memento;
    this.filterText = memento.get<string>(FILTER_KEY, '');
    this.parsed = parseKeyFilter(this.filterText);
    this.hideAws = memento.get<boolean>(HIDE_AWS_KEY, false);
    // With nothing saved, the view already shows what show() would set (no description or message; the two
    // context keys unset read as false in `when` clauses): skip its three messages to the workbench at activation.
    if (this.parsed || this.hideAws) this.show();
  }

  async setFilter(text: string): Promise<void> {
    this.filterText = text.trim();
    this.parsed = parseKeyFilter(this.filterText);
    await this.memento?.update(FILTER_KEY, this.filterText);
    this.show();
  }

  async setAwsManagedHidden(hidden: boolean): Promise<void> {
    this.hideAws = hidden;
    await this.memento?.update(HIDE_AWS_KEY, hidden);
    this.show();
  }

  /** After a render: how many keys the filter let through. */
  reportMatches(matched: number, total: number): void {
    if (!this.view) return;
    this.view.message = this.parsed ? `${matched} of ${total} keys match "${this.filterText}".` : undefined;
  }

  private show(): void {
    if (this.view) {
      const parts = [this.parsed ? `filter: ${this.filterText}` : '', this.hideAws ? 'AWS managed hidden' : ''].filter(
        Boolean,
      );
      this.view.description = parts.length > 0 ? parts.join(' · ') : undefined;
      if (!this.parsed) this.view.message = undefined;
    }
    void vscode.commands.executeCommand('setContext', 'kmsExplorer.keysFiltered', !!this.parsed);
    void vscode.commands.executeCommand('setContext', 'kmsExplorer.awsManagedKeysHidden', this.hideAws);
  }
}
