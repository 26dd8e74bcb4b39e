import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { REPO_ROOT } from './shared-data.js';

/** `bikebot mcp <args>` from the sources, connected to the SDK's own client over stdio, as an assistant spawns it. */
export async function spawnMcpClient(args: string[]): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['--import', 'tsx', join(REPO_ROOT, 'src/cli.ts'), 'mcp', '--log-level', 'silent', ...args],
    cwd: REPO_ROOT,
    // Nothing of the test's environment: the server reads its flags only.
    env: { PATH: process.env.PATH ?? '' },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'bikebot-test', version: '1' });
  await client.connect(transport);
  return client;
}
