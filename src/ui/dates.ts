// How dates show in messages, tooltips and the tree: "2026-01-31 12:00:00 UTC".
export function formatDate(date: Date): string {
  return date
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}
