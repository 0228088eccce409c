// Step 4's acting-as on the current connection: on the sandbox the grantee role is created when missing and assumed
// through KMS Explorer's assumer user (AWS refuses AssumeRole by the account root); on AWS the role is assumed with
// the connection's own credentials, which works only when the role trusts them.
import type { KmsConnection } from '../kms/connection';
import { loadKms } from '../kms/load';
import type { Services } from '../ui/services';
import type { GranteeAccess } from './steps';

const SESSION = 'kms-explorer-walkthrough';

export async function granteeAccess(services: Services, connection: KmsConnection): Promise<GranteeAccess> {
  const { principals } = await loadKms();
  const s = connection.settings;
  if (s.kind !== 'sandbox') {
    const target = { endpoint: s.endpoint?.trim() || undefined, region: connection.region };
    return {
      kind: 'aws',
      assume: (roleArn) => principals.assumeRoleSession(target, connection.client.config.credentials, roleArn, SESSION),
    };
  }
  const target = { endpoint: s.endpoint, region: s.region };
  const root = { ...target, credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey } };
  const withIam = async <T>(work: (iam: ReturnType<typeof principals.iamClient>, accountId: string) => Promise<T>) => {
    const iam = principals.iamClient(root);
    try {
      return await work(iam, s.accountId ?? (await principals.callerIdentity(root)).account);
    } finally {
      iam.destroy();
    }
  };
  return {
    kind: 'sandbox',
    ensureRole: (roleName) => withIam((iam, accountId) => principals.ensureRole(iam, roleName, accountId)),
    assume: async (roleArn) => {
      const master = await withIam((iam, accountId) =>
        principals.assumerCredentials(iam, accountId, services.context.secrets),
      );
      return principals.assumeRoleSession(target, master, roleArn, SESSION);
    },
  };
}
