import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** ../shared beside the repository, where the real data bundle and the dev set live. */
export const SHARED_DIR = resolve(repoRoot, '..', 'shared');
export const SHARED_DATA = join(SHARED_DIR, 'data');
export const DEV_SET = join(SHARED_DIR, 'eval', 'dev.jsonl');
export const REPO_ROOT = repoRoot;

/** For node:test's `skip` option: a reason string when the shared data is absent, else false. */
export function skipWithoutShared(...relative: string[]): string | false {
  const missing = relative.map((r) => join(SHARED_DIR, r)).filter((p) => !existsSync(p));
  return missing.length ? `shared data not found (${missing.join(', ')}); integration test skipped` : false;
}
