// The Prompter of the integration tests: answers picks, inputs, confirmations and file dialogs from a script keyed
// by prompt id, checks each scripted input with the prompt's own validateInput, and records what the user saw.
import * as vscode from 'vscode';
import type {
  ConfirmOptions,
  InputOptions,
  MessageLevel,
  PickItem,
  PickOptions,
  Prompter,
  SaveOptions,
} from '../../../src/ui/prompter';

export type PickAnswer = (items: PickItem<unknown>[]) => PickItem<unknown> | undefined;

export interface Recorded {
  picks: { id: string; labels: string[]; descriptions: (string | undefined)[] }[];
  messages: { level: MessageLevel; text: string; actions: string[] }[];
  confirms: { id: string; message: string; detail?: string }[];
}

export class ScriptedPrompter implements Prompter {
  readonly recorded: Recorded = { picks: [], messages: [], confirms: [] };
  private readonly pickAnswers = new Map<string, PickAnswer[]>();
  private readonly inputAnswers = new Map<string, (string | undefined)[]>();
  private readonly manyAnswers = new Map<string, string[][]>();
  /** Each scripted input with the validation message its prompt gave for it (undefined = accepted). */
  readonly inputs: {
    id: string;
    value: string | undefined;
    problem: string | undefined;
    /** The prompt the input box showed. */
    prompt?: string;
    step?: number;
    total?: number;
  }[] = [];
  /** What the save and open dialogs answer. */
  saveTo: vscode.Uri | undefined;
  openFrom: vscode.Uri | undefined;
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

  /** Answer the next multi-select with this id by choosing the items with these labels. */
  answerPickMany(id: string, labels: string[]): this {
    this.manyAnswers.set(id, [...(this.manyAnswers.get(id) ?? []), labels]);
    return this;
  }

  answerInput(id: string, value: string | undefined): this {
    this.inputAnswers.set(id, [...(this.inputAnswers.get(id) ?? []), value]);
    return this;
  }

  async pick<T>(items: PickItem<T>[] | Promise<PickItem<T>[]>, options: PickOptions): Promise<T | undefined> {
    const list = (await items).filter((i) => i.kind !== vscode.QuickPickItemKind.Separator);
    this.recorded.picks.push({
      id: options.id,
      labels: list.map((i) => i.label),
      descriptions: list.map((i) => i.description),
    });
    const answer = this.pickAnswers.get(options.id)?.shift();
    if (!answer) throw new Error(`ScriptedPrompter: no answer for pick "${options.id}"`);
    return (answer(list) as PickItem<T> | undefined)?.value;
  }

  async pickMany<T>(items: PickItem<T>[] | Promise<PickItem<T>[]>, options: PickOptions): Promise<T[] | undefined> {
    const labels = this.manyAnswers.get(options.id)?.shift();
    if (labels) {
      const list = await items;
      this.recorded.picks.push({
        id: options.id,
        labels: list.map((i) => i.label),
        descriptions: list.map((i) => i.description),
      });
      return list.filter((i) => labels.includes(i.label)).map((i) => i.value);
    }
    const value = await this.pick(items, options);
    return value === undefined ? undefined : [value];
  }

  async input(options: InputOptions): Promise<string | undefined> {
    const queue = this.inputAnswers.get(options.id);
    if (!queue || queue.length === 0) throw new Error(`ScriptedPrompter: no answer for input "${options.id}"`);
    const value = queue.shift();
    const problem =
      value !== undefined && options.validateInput ? ((await options.validateInput(value)) ?? undefined) : undefined;
    this.inputs.push({
      id: options.id,
      value,
      problem: typeof problem === 'string' ? problem : problem?.message,
      prompt: options.prompt,
      step: options.step,
      total: options.totalSteps,
    });
    return value;
  }

  async saveLocation(_options: SaveOptions): Promise<vscode.Uri | undefined> {
    return this.saveTo;
  }

  async openLocation(_options: SaveOptions): Promise<vscode.Uri | undefined> {
    return this.openFrom;
  }

  async confirm(message: string, options: ConfirmOptions): Promise<boolean> {
    this.recorded.confirms.push({ id: options.id, message, detail: options.detail });
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
