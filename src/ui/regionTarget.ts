// Which Region a command acts in: the Region of the tree node it was run on (a Region, a group under it,
// a key or a part of one, an alias) or of a key ARN passed to it; the connection's own Region otherwise.
import type { ActiveConnection } from '../connection/manager';
import { regionOfArn } from '../kms/keys';
import type { Services } from './services';
import { keyOfNode, type TreeNode } from './treeNodes';

/** Whether text has the shape of a Region name (us-east-1, eu-central-2, us-gov-west-1). */
export const isRegionName = (text: string): boolean => /^[a-z]{2}(-[a-z]+)+-\d+$/.test(text);

/** The Region a node or key ARN names, if any. */
export function regionOfTarget(target: unknown): string | undefined {
  if (typeof target === 'string') return regionOfArn(target);
  if (!target || typeof target !== 'object' || !('kind' in target)) return undefined;
  const node = target as TreeNode;
  if (node.kind === 'region') return node.region;
  if (node.kind === 'group') return node.region;
  if (node.kind === 'relatedKey') return node.region;
  if (node.kind === 'alias') return regionOfArn(node.alias.AliasArn) ?? regionOfArn(node.parent?.key.arn);
  return regionOfArn(keyOfNode(node)?.arn);
}

/** The connection's client and catalog for the target's Region, else `region`, else the connection's own. */
export function activeFor(services: Services, target: unknown, region?: string): Promise<ActiveConnection> {
  return services.connections.forRegion(regionOfTarget(target) ?? region);
}
