/**
 * Where per-message garbage comes from. Builds the core the way `bikebot eval`
 * does (TfL snapshot file, London gazetteer), warms it, runs the dev set once
 * untimed, then runs it --loops times under V8's sampling heap profiler (objects
 * later collected by minor and major GCs included, so the totals are bytes
 * allocated, not bytes retained) and prints bytes per message overall and the
 * top allocating functions (self and inclusive) and per-utterance bytes.
 *
 *   node --import tsx bench/alloc-profile.ts [--shared <dir>] [--loops N] [--top K] [--per-message] [--out file.heapprofile]
 */
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildCore } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { loadEvalCases } from '../src/eval/eval-case.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

interface Node {
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  selfSize: number;
  children: Node[];
}

const shared = resolve(arg('--shared') ?? join(process.cwd(), '..', 'shared'));
const loops = Number(arg('--loops') ?? 20);
const topK = Number(arg('--top') ?? 30);
const cases = loadEvalCases(join(shared, 'eval', 'dev.jsonl'));
const cfg = loadConfig({
  argv: ['eval', '--snapshot', join(shared, 'data', 'tfl', 'bikepoint-2022-08-01T08-25-10Z.json'), '--gazetteer', join(shared, 'data', 'london'), '--log-level', 'silent'],
  env: {},
});
const core = await buildCore(cfg, { mode: 'oneshot' });
let seq = 0;
const runAll = async () => {
  for (const c of cases) await core.handleTurn({ channel: 'eval', conversationId: `alloc:${seq++}`, text: c.utterance });
};
await runAll();
await runAll();

const session = new Session();
session.connect();
await session.post('HeapProfiler.enable');
const sample = async (fn: () => Promise<void>): Promise<Node> => {
  await session.post('HeapProfiler.startSampling', { samplingInterval: 256, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  await fn();
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as { profile: { head: Node } };
  return profile.head;
};
const total = (n: Node): number => n.selfSize + n.children.reduce((s, c) => s + total(c), 0);

const head = await sample(async () => {
  for (let i = 0; i < loops; i++) await runAll();
});
const n = loops * cases.length;
const bytes = total(head);
console.log(`${n} messages: ${(bytes / n / 1024).toFixed(1)} KB allocated per message (sampled)`);
if (arg('--out')) writeFileSync(arg('--out')!, JSON.stringify({ head }));

const self = new Map<string, number>();
const incl = new Map<string, number>();
const key = (n: Node) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/^.*\/main\//, '')}:${n.callFrame.lineNumber + 1}`;
const walk = (n: Node, stack: Set<string>): number => {
  const k = key(n);
  self.set(k, (self.get(k) ?? 0) + n.selfSize);
  const fresh = !stack.has(k);
  if (fresh) stack.add(k);
  let sum = n.selfSize;
  for (const c of n.children) sum += walk(c, stack);
  if (fresh) {
    stack.delete(k);
    incl.set(k, (incl.get(k) ?? 0) + sum);
  }
  return sum;
};
walk(head, new Set());
const show = (m: Map<string, number>, label: string) => {
  console.log(`\n${label}:`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, topK)) console.log(`  ${(v / n).toFixed(0).padStart(8)} B/msg  ${k}`);
};
show(self, 'self bytes per message');
show(incl, 'inclusive bytes per message');

if (process.argv.includes('--per-message')) {
  const rows: [number, string][] = [];
  for (const c of cases) {
    const h = await sample(async () => {
      for (let i = 0; i < 5; i++) await core.handleTurn({ channel: 'eval', conversationId: `alloc:${seq++}`, text: c.utterance });
    });
    rows.push([total(h) / 5, c.utterance]);
  }
  rows.sort((a, b) => b[0] - a[0]);
  console.log('\nper utterance (bytes):');
  for (const [b, u] of rows) console.log(`  ${b.toFixed(0).padStart(8)}  ${JSON.stringify(u)}`);
}
await session.post('HeapProfiler.disable');
session.disconnect();
await core.close();

if (process.argv.includes('--tree')) {
  const min = Number(arg('--tree-min') ?? 500) * n;
  const print = (node: Node, depth: number) => {
    const t = total(node);
    if (t < min) return;
    console.log(`${' '.repeat(depth * 2)}${(t / n).toFixed(0)} (self ${(node.selfSize / n).toFixed(0)}) ${key(node)}`);
    for (const c of [...node.children].sort((a, b) => total(b) - total(a))) print(c, depth + 1);
  };
  console.log('\ntree (bytes/message):');
  print(head, 0);
}
