// Key settings that change no state: UpdateKeyDescription.
import type { HandlerMap } from '../context';
import type { KeyRecord } from '../model';
import { resolveKey } from '../resolve';
import { KEY_ID, reqString } from '../validate';

export const descriptionOperations: HandlerMap = {
  async UpdateKeyDescription(input, ctx) {
    const ref = reqString(input, 'KeyId', KEY_ID);
    const description = reqString(input, 'Description', { max: 8192 });
    await ctx.store.write(() => {
      const key = resolveKey(ctx, ref, { aliases: false, op: 'UpdateKeyDescription' });
      if (key.description === description) return { changes: [], result: undefined };
      const record: KeyRecord = { ...key, description };
      return { changes: [{ kind: 'key', record }], result: undefined };
    });
    return {};
  },
};
