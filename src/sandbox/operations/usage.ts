// GetKeyLastUsage: the last successful cryptographic operation with a key, read from the audit trail (audit.ts).
// The sandbox tracks a key from its creation; the trail is bounded, so usage older than its oldest segment is
// no longer known (then KeyLastUsage is absent, as AWS answers for a key not used since tracking began).
import { epochSeconds, type HandlerMap } from '../context';
import { resolveKey } from '../resolve';
import { KEY_ID, reqString } from '../validate';

/** The operations AWS counts as use of a key (the model's KeyLastUsageTrackingOperation). */
const TRACKED = new Set([
  'Decrypt',
  'DeriveSharedSecret',
  'Encrypt',
  'GenerateDataKey',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateMac',
  'ReEncrypt',
  'Sign',
  'Verify',
  'VerifyMac',
]);

export const usageOperations: HandlerMap = {
  async GetKeyLastUsage(input, ctx) {
    const key = resolveKey(ctx, reqString(input, 'KeyId', KEY_ID), { aliases: true });
    let before: number | undefined;
    for (;;) {
      const page = await ctx.store.audit.read({ keyId: key.keyId, limit: 1000, before });
      const last = page.events.find((e) => e.outcome === 'ok' && TRACKED.has(e.operation));
      if (last) {
        return {
          KeyId: key.keyId,
          KeyLastUsage: {
            Operation: last.operation,
            Timestamp: epochSeconds(last.time),
            CloudTrailEventId: last.eventId,
            KmsRequestId: last.requestId,
          },
          TrackingStartDate: epochSeconds(key.createdAt),
          KeyCreationDate: epochSeconds(key.createdAt),
        };
      }
      if (page.nextBefore === undefined) break;
      before = page.nextBefore;
    }
    return {
      KeyId: key.keyId,
      TrackingStartDate: epochSeconds(key.createdAt),
      KeyCreationDate: epochSeconds(key.createdAt),
    };
  },
};
