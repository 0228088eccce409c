// `npm run package` (production build + vsce) as a module for the scripts that install the .vsix.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const VSIX = path.join(ROOT, 'dist', 'kms-explorer.vsix');

/** Builds dist/kms-explorer.vsix; returns its path. */
export function packageExtension() {
  const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0 || !fs.existsSync(VSIX)) throw new Error(`npm run package failed (exit ${r.status}); no ${VSIX}`);
  return VSIX;
}
