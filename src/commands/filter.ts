// Keys view filter commands: Filter Keys (an input prefilled with the current filter; the syntax in
// the prompt), Clear Filter, and Show / Hide AWS Managed Keys.
import type { Services } from '../ui/services';

export async function filterKeys(services: Services, text?: unknown): Promise<void> {
  const state = services.keysTree.viewState;
  const value =
    typeof text === 'string'
      ? text
      : await services.prompter.input({
          id: 'filterKeys.text',
          title: 'KMS: Filter Keys',
          prompt:
            'Words match alias, id or description. Also alias:…  id:…  desc:…  state:disabled  tag:team  tag:team=payments. Empty: show all.',
          placeHolder: 'e.g. payments state:enabled tag:env=prod',
          value: state.filter?.text ?? '',
        });
  if (value === undefined) return;
  await state.setFilter(value);
  services.keysTree.refresh();
}

export async function clearKeysFilter(services: Services): Promise<void> {
  await filterKeys(services, '');
}

export async function showAwsManagedKeys(services: Services): Promise<void> {
  await services.keysTree.viewState.setAwsManagedHidden(false);
  services.keysTree.refresh();
}

export async function hideAwsManagedKeys(services: Services): Promise<void> {
  await services.keysTree.viewState.setAwsManagedHidden(true);
  services.keysTree.refresh();
}
