import { spawn } from 'node:child_process';
import { REPO_ROOT } from './shared-data.js';

export interface NodeRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node <args>` from the repository root with only PATH in its environment (as a fresh
 * shell would: no BIKEBOT_* from the test runner), feeding stdin and collecting both streams.
 */
export function runNode(args: readonly string[], stdin = ''): Promise<NodeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...args], { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}
