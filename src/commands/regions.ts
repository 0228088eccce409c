// "KMS: Show Regions…": which Regions the Keys and Aliases views show for this connection (a
// multi-select of the Regions of the connection's partition, the connection's own first, the shown ones
// ticked); remembered per connection. One Region (the connection's) is the tree as it always was.
import { loadKms } from '../kms/load';
import type { Services } from '../ui/services';

export async function showRegions(services: Services): Promise<void> {
  const active = await services.connections.get();
  const home = active.connection.region;
  const shown = new Set(await services.connections.shownRegions());
  const { partitionRegions } = (await loadKms()).regions;
  const known = partitionRegions(home);
  // The connection's Region first (even one the SDK does not list, e.g. a custom endpoint's), then by name.
  const regions = [
    { region: home, description: known.find((r) => r.region === home)?.description },
    ...known.filter((r) => r.region !== home),
  ];
  const chosen = await services.prompter.pickMany(
    regions.map((r) => ({
      label: r.region,
      description: [r.description, r.region === home ? "connection's Region" : undefined].filter(Boolean).join(' · '),
      picked: shown.has(r.region),
      value: r.region,
    })),
    {
      id: 'showRegions.regions',
      title: 'KMS: Show Regions',
      placeholder: `Regions to show in the Keys and Aliases views (${active.connection.label})`,
      matchOnDescription: true,
    },
  );
  if (!chosen || chosen.length === 0) return;
  await services.connections.setShownRegions(chosen);
  services.log.info(`Showing Regions: ${chosen.join(', ')}.`);
  services.keysTree.refresh();
  services.aliasesTree.refresh();
}
