import { readFileSync } from 'node:fs';

/** package.json sits one level above both src/ (tsx) and dist/ (built). */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const PROJECT_URL = 'https://github.com/bikebot/bikebot';

/** Upstream operators ask API clients to say who they are and where to find them. */
export function userAgent(version: string): string {
  return `BikeBot/${version} (+${PROJECT_URL})`;
}

export const USER_AGENT = userAgent(VERSION);
