// withCancellableProgress: a notification progress whose Cancel button aborts an AbortSignal, so
// SDK calls (which take abortSignal) stop when the user cancels.
import * as vscode from 'vscode';

export function withCancellableProgress<T>(
  title: string,
  task: (signal: AbortSignal, progress: vscode.Progress<{ message?: string; increment?: number }>) => Promise<T>,
): Promise<T> {
  return Promise.resolve(
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        const sub = token.onCancellationRequested(() => controller.abort());
        try {
          return await task(controller.signal, progress);
        } finally {
          sub.dispose();
        }
      },
    ),
  );
}
