// A Prompter for integration tests: answers QuickPicks/InputBoxes/confirmations from a script keyed
// by prompt id, and records every prompt and message so tests can assert on what the user saw.
import * as vscode from 'vscode';
import type { ConfirmOptions, InputOptions, MessageLevel, PickItem, PickOptions, Prompter } from '../../../src/ui/prompter';
import type { ExtensionApi } from '../../../src/extension';

export type PickAnswer = (items: PickItem<unknown>[]) => PickItem<unknown> | undefined;

export interface Recorded {
  picks: { id: string; labels: string[]; descriptions: (string | undefined)[] }[];
  messages: { level: MessageLevel; text: string; actions: string[] }[];
}

export class ScriptedPrompter implements Prompter {
  readonly recorded: Recorded = { picks: [], messages: [] };
  private readonly pickAnswers = new Map<string, PickAnswer[]>();
  private readonly inputAnswers = new Map<string, (string | undefined)[]>();
  /** Button to press on the next message that offers it. */
  messageAction: string | undefined;

  /** Answer the next pick with this id by choosing the first item whose label matches. */
  answerPick(id: string, answer: string | RegExp | PickAnswer): this {
    const fn: PickAnswer =
      typeof answer === 'function'
        ? answer
        : (items) => items.find((i) => (typeof answer === 'string' ? i.label === answer : answer.test(i.label)));
    this.pickAnswers.set(id, [...(this.pickAnswers.get(id) ?? []), fn]);
    return this;
  }

  answerInput(id: string, value: string | undefined): this {
    this.inputAnswers.set(id, [...(this.inputAnswers.get(id) ?? []), value]);
    return this;
  }

  async pick<T>(items: PickItem<T>[] | Promise<PickItem<T>[]>, options: PickOptions): Promise<T | undefined> {
    const list = (await items).filter((i) => i.kind !== vscode.QuickPickItemKind.Separator);
    this.recorded.picks.push({ id: options.id, labels: list.map((i) => i.label), descriptions: list.map((i) => i.description) });
    const answer = this.pickAnswers.get(options.id)?.shift();
    if (!answer) throw new Error(`ScriptedPrompter: no answer for pick "${options.id}"`);
    return (answer(list) as PickItem<T> | undefined)?.value;
  }

  async pickMany<T>(items: PickItem<T>[] | Promise<PickItem<T>[]>, options: PickOptions): Promise<T[] | undefined> {
    const value = await this.pick(items, options);
    return value === undefined ? undefined : [value];
  }

  async input(options: InputOptions): Promise<string | undefined> {
    const queue = this.inputAnswers.get(options.id);
    if (!queue || queue.length === 0) throw new Error(`ScriptedPrompter: no answer for input "${options.id}"`);
    return queue.shift();
  }

  async confirm(_message: string, options: ConfirmOptions): Promise<boolean> {
    const queue = this.inputAnswers.get(options.id);
    return queue?.shift() === options.confirmLabel;
  }

  async message(level: MessageLevel, text: string, ...actions: string[]): Promise<string | undefined> {
    this.recorded.messages.push({ level, text, actions });
    const chosen = this.messageAction && actions.includes(this.messageAction) ? this.messageAction : undefined;
    if (chosen) this.messageAction = undefined;
    return chosen;
  }

  lastMessage(): Recorded['messages'][number] | undefined {
    return this.recorded.messages.at(-1);
  }
}

export const EXTENSION_ID = 'kms-explorer.kms-explorer';

/** Activates the extension and returns its API. */
export async function activateExtension(): Promise<ExtensionApi> {
  const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed`);
  return ext.activate();
}
