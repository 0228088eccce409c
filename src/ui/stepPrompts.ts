// Multi-step flows (wizards): a QuickPick or InputBox showing "step n/total" with a Back button.
// Pressing Back rejects with GoBack; the wizard (wizard.ts) returns to the previous step. Used by
// VsCodePrompter when a prompt's options carry a `step`.
import * as vscode from 'vscode';

/** Thrown by a prompter when the user presses Back in a multi-step flow. */
export class GoBack extends Error {
  override readonly name = 'GoBack';
  constructor() {
    super('Back');
  }
}

export interface StepOptions {
  /** 1-based position in a multi-step flow; step > 1 shows a Back button. */
  step?: number;
  totalSteps?: number;
}

interface StepPickItem<T> extends vscode.QuickPickItem {
  value: T;
}

export function stepPick<T>(
  items: StepPickItem<T>[] | Promise<StepPickItem<T>[]>,
  options: StepOptions & {
    title?: string;
    placeholder?: string;
    matchOnDescription?: boolean;
    matchOnDetail?: boolean;
    canPickMany?: boolean;
  },
): Promise<T[] | undefined> {
  const qp = vscode.window.createQuickPick<StepPickItem<T>>();
  Object.assign(qp, {
    title: options.title,
    placeholder: options.placeholder,
    matchOnDescription: !!options.matchOnDescription,
    matchOnDetail: !!options.matchOnDetail,
    canSelectMany: !!options.canPickMany,
    ignoreFocusOut: true,
    step: options.step,
    totalSteps: options.totalSteps,
    buttons: (options.step ?? 1) > 1 ? [vscode.QuickInputButtons.Back] : [],
    busy: true,
  });
  return run(qp, (done, fail) => {
    void Promise.resolve(items).then(
      (list) => {
        qp.items = list;
        if (options.canPickMany) qp.selectedItems = list.filter((i) => i.picked);
        qp.busy = false;
      },
      (err: unknown) => fail(err instanceof Error ? err : new Error(String(err))),
    );
    return [
      qp.onDidAccept(() =>
        done(
          options.canPickMany
            ? qp.selectedItems.map((i) => i.value)
            : qp.selectedItems[0]
              ? [qp.selectedItems[0].value]
              : undefined,
        ),
      ),
    ];
  });
}

export function stepInput(options: StepOptions & vscode.InputBoxOptions): Promise<string | undefined> {
  const box = vscode.window.createInputBox();
  Object.assign(box, {
    title: options.title,
    prompt: options.prompt,
    placeholder: options.placeHolder,
    value: options.value ?? '',
    password: !!options.password,
    ignoreFocusOut: true,
    step: options.step,
    totalSteps: options.totalSteps,
    buttons: (options.step ?? 1) > 1 ? [vscode.QuickInputButtons.Back] : [],
  });
  const validate = async (value: string): Promise<boolean> => {
    const problem = options.validateInput ? await options.validateInput(value) : undefined;
    box.validationMessage = problem ?? undefined;
    return !problem;
  };
  return run(box, (done) => {
    void validate(box.value);
    return [
      box.onDidChangeValue((v) => void validate(v)),
      box.onDidAccept(async () => {
        if (await validate(box.value)) done(box.value);
      }),
    ];
  });
}

/** Shows `input`, resolves with what `wire` passes to done, undefined when hidden, rejects with GoBack on Back. */
function run<R>(
  input: vscode.QuickPick<vscode.QuickPickItem> | vscode.InputBox,
  wire: (done: (value: R | undefined) => void, fail: (err: Error) => void) => vscode.Disposable[],
): Promise<R | undefined> {
  return new Promise<R | undefined>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      for (const d of subscriptions) d.dispose();
      input.dispose();
    };
    const subscriptions: vscode.Disposable[] = [
      input.onDidTriggerButton((button) => {
        if (button === vscode.QuickInputButtons.Back) settle(() => reject(new GoBack()));
      }),
      input.onDidHide(() => settle(() => resolve(undefined))),
    ];
    subscriptions.push(
      ...wire(
        (value) => settle(() => resolve(value)),
        (err) => settle(() => reject(err)),
      ),
    );
    input.show();
  });
}
