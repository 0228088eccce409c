import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

/**
 * Runs `probe` (an ES module body that prints JSON) as `npm run` would: with the outer npm's variables
 * in its environment, as `npm start` / `npm test` give them to scripts/provision.mjs.
 */
function underOuterNpm(probe: string): Record<string, string> {
  const outerNpm = {
    npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
    npm_config_nodedir: '/usr/include/node20',
    npm_lifecycle_event: 'test',
    npm_package_name: 'kms-explorer',
    npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
    npm_node_execpath: process.execPath,
    INIT_CWD: ROOT,
    NODE: process.execPath,
  };
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...outerNpm, JOBS: '' },
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Record<string, string>;
}

describe('scripts: the environment of nested installs', () => {
  it("code-server's install sees Node 24's settings, none of the outer npm's", () => {
    const env = underOuterNpm(
      "import { codeServerInstallEnv } from './scripts/provision.mjs'; console.log(JSON.stringify(codeServerInstallEnv('/cache/node24/pkg')));",
    );
    for (const k of Object.keys(env)) {
      assert.ok(
        !/^(npm_lifecycle_|npm_package_|npm_execpath|npm_node_execpath|init_cwd$|node$)/i.test(k),
        `${k} leaked into the inner install`,
      );
    }
    assert.equal(
      env.npm_config_user_agent,
      undefined,
      "the outer user agent (node/v20) must not reach code-server's postinstall",
    );
    assert.equal(env.npm_config_nodedir, '/cache/node24/pkg');
    assert.equal(env.npm_config_dangerously_allow_all_scripts, 'true');
    assert.ok(env.PATH.startsWith(`/cache/node24/pkg${path.sep}bin${path.delimiter}`), env.PATH);
    assert.equal(env.HOME, process.env.HOME);
  });

  it('other children (apt, Node 24, code-server) get the same clean environment plus what they ask for', () => {
    const env = underOuterNpm(
      "import { cleanChildEnv } from './scripts/child-env.mjs'; console.log(JSON.stringify(cleanChildEnv({ DEBIAN_FRONTEND: 'noninteractive' })));",
    );
    assert.deepEqual(
      Object.keys(env).filter((k) => /^npm_|^init_cwd$|^node$/i.test(k)),
      [],
    );
    assert.equal(env.DEBIAN_FRONTEND, 'noninteractive');
    assert.equal(env.PATH, process.env.PATH);
  });
});
