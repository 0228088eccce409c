// The UI seam: every QuickPick, InputBox, confirmation and message of the extension goes through a
// Prompter. The default one uses VS Code's window API; integration tests install a scripted one
// through the extension's exported API (ExtensionApi.setPrompter) to answer prompts.
import * as vscode from 'vscode';
import { stepInput, stepPick, type StepOptions } from './stepPrompts';

export interface PickItem<T> extends vscode.QuickPickItem {
  value: T;
}

/** `step`/`totalSteps` (multi-step flows) add a Back button; pressing it rejects with GoBack (stepPrompts.ts). */
export interface PickOptions extends StepOptions {
  /** Stable id of this prompt ("encrypt.key", "connection.select", ...), for scripted answers. */
  id: string;
  title?: string;
  placeholder?: string;
  matchOnDescription?: boolean;
  matchOnDetail?: boolean;
}

export interface InputOptions extends vscode.InputBoxOptions, StepOptions {
  id: string;
}

export interface ConfirmOptions {
  id: string;
  detail?: string;
  /** Label of the confirming button, e.g. "Disable key". */
  confirmLabel: string;
}

export type MessageLevel = 'info' | 'warning' | 'error';

export interface Prompter {
  /** One item's value, or undefined when dismissed. */
  pick<T>(items: PickItem<T>[] | Promise<PickItem<T>[]>, options: PickOptions): Promise<T | undefined>;
  pickMany<T>(items: PickItem<T>[] | Promise<PickItem<T>[]>, options: PickOptions): Promise<T[] | undefined>;
  input(options: InputOptions): Promise<string | undefined>;
  /** A modal confirmation; true only when the confirming button was chosen. */
  confirm(message: string, options: ConfirmOptions): Promise<boolean>;
  /** A notification with optional action buttons; resolves to the chosen button. */
  message(level: MessageLevel, text: string, ...actions: string[]): Promise<string | undefined>;
  /** Where to save a file (a save dialog); undefined when dismissed. */
  saveLocation?(options: SaveOptions): Promise<vscode.Uri | undefined>;
  /** Which file to read (an open dialog); undefined when dismissed. */
  openLocation?(options: SaveOptions): Promise<vscode.Uri | undefined>;
}

export interface SaveOptions {
  id: string;
  title: string;
  defaultUri?: vscode.Uri;
  filters?: Record<string, string[]>;
}

export class VsCodePrompter implements Prompter {
  async pick<T>(items: PickItem<T>[] | Promise<PickItem<T>[]>, options: PickOptions): Promise<T | undefined> {
    if (options.step !== undefined) return (await stepPick(items, options))?.[0];
    const chosen = await vscode.window.showQuickPick(items, {
      title: options.title,
      placeHolder: options.placeholder,
      matchOnDescription: options.matchOnDescription,
      matchOnDetail: options.matchOnDetail,
      ignoreFocusOut: true,
    });
    return chosen?.value;
  }

  async pickMany<T>(items: PickItem<T>[] | Promise<PickItem<T>[]>, options: PickOptions): Promise<T[] | undefined> {
    if (options.step !== undefined) return stepPick(items, { ...options, canPickMany: true });
    const chosen = await vscode.window.showQuickPick(items, {
      title: options.title,
      placeHolder: options.placeholder,
      matchOnDescription: options.matchOnDescription,
      canPickMany: true,
      ignoreFocusOut: true,
    });
    return chosen?.map((c) => c.value);
  }

  input(options: InputOptions): Promise<string | undefined> {
    if (options.step !== undefined) return stepInput(options);
    const { id: _id, ...rest } = options;
    return Promise.resolve(vscode.window.showInputBox({ ignoreFocusOut: true, ...rest }));
  }

  async confirm(message: string, options: ConfirmOptions): Promise<boolean> {
    const chosen = await vscode.window.showWarningMessage(
      message,
      { modal: true, detail: options.detail },
      options.confirmLabel,
    );
    return chosen === options.confirmLabel;
  }

  saveLocation(options: SaveOptions): Promise<vscode.Uri | undefined> {
    return Promise.resolve(
      vscode.window.showSaveDialog({ title: options.title, defaultUri: options.defaultUri, filters: options.filters }),
    );
  }

  async openLocation(options: SaveOptions): Promise<vscode.Uri | undefined> {
    const picked = await vscode.window.showOpenDialog({
      title: options.title,
      defaultUri: options.defaultUri,
      filters: options.filters,
      canSelectMany: false,
      openLabel: 'Select',
    });
    return picked?.[0];
  }

  message(level: MessageLevel, text: string, ...actions: string[]): Promise<string | undefined> {
    const show =
      level === 'error'
        ? vscode.window.showErrorMessage
        : level === 'warning'
          ? vscode.window.showWarningMessage
          : vscode.window.showInformationMessage;
    return Promise.resolve(show(text, ...actions));
  }
}
