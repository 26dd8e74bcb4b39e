#!/usr/bin/env node
// The compiled CLI lives in dist/ (built by `npm ci` through the prepare script). The build
// also bundles it into one script with V8 code caches (dist/bikebot.cjs, src/bundle-run.ts),
// which starts faster; without a fresh bundle the modules in dist/ run.
import { runBundle } from '../dist/bundle-run.js';

if (!runBundle()) await import('../dist/cli.js');
