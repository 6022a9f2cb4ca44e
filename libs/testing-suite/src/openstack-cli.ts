import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where the real `openstack` CLI is ('' when missing). CI must have it: .ci/run installs python3-openstackclient. */
export function openstackCli(what: string): string {
  let path = '';
  try {
    path = execFileSync('sh', ['-c', 'command -v openstack'], { encoding: 'utf8' }).trim();
  } catch {
    /* not installed */
  }
  if (!path && process.env.CI) throw new Error('CI must have the openstack CLI (python3-openstackclient); .ci/run installs it');
  if (!path) console.warn(`openstack CLI not installed (apt-get install python3-openstackclient): skipping ${what}`);
  return path;
}

/** Runs `openstack …` against an API endpoint without Keystone, as a user would. */
export async function openstack(endpoint: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('openstack', args, {
    env: { ...process.env, OS_AUTH_TYPE: 'none', OS_ENDPOINT: endpoint, OS_CLOUD: '', PYTHONWARNINGS: 'ignore' },
  });
  return stdout;
}

/**
 * Runs the legacy `neutron …` CLI (python3-neutronclient, a dependency of the
 * openstack CLI) against an endpoint without Keystone: the LBaaS v1 commands
 * (lb-pool-create …) live only there. A token with a fixed URL skips Keystone.
 */
export async function neutron(endpoint: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('neutron', ['--os-token', 'noauth', '--os-url', endpoint, ...args], {
    env: { ...process.env, OS_AUTH_TYPE: 'admin_token', OS_CLOUD: '', PYTHONWARNINGS: 'ignore' },
  });
  return stdout;
}
