// The environment for a child process that must not inherit the outer npm run's configuration.
//
// `npm start` / `npm test` export npm_config_* (user agent with the outer Node's version, node-gyp's
// nodedir, the registry...), npm_lifecycle_* and npm_package_* to every child. A nested `npm install`
// run by another Node (provisioning installs code-server with Node 24) reads them as its own settings:
// code-server's postinstall then sees "node/v20" in npm_config_user_agent and refuses to install.
// Children that run another Node or another npm get this environment, with what they need set explicitly.

/** Variables an outer npm (or a test runner) sets that a child must not see. */
export function isInheritedNpmVariable(name) {
  const k = name.toLowerCase();
  return (
    k.startsWith('npm_') || k === 'init_cwd' || k === 'node_options' || k === 'electron_run_as_node' || k === 'node'
  );
}

/** A copy of `base` (process.env by default) without the outer npm's variables, with `extra` on top. */
export function cleanChildEnv(extra = {}, base = process.env) {
  const env = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined && !isInheritedNpmVariable(k)) env[k] = v;
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}
