// node:test counts a skipped describe() as a passing suite and leaves it out of
// "# skipped", so a run where the browser or Redis suites could not start looked
// complete. This reporter counts each skipped suite as skipped (and not as passed)
// in the summary, then hands every event to the usual reporter (spec on a
// terminal, TAP otherwise — node's own default).
import { Readable } from 'node:stream';
import { spec, tap } from 'node:test/reporters';

async function* countSkippedSuites(source) {
  let skippedSuites = 0;
  for await (const event of source) {
    if (event.type === 'test:pass' && event.data.skip !== undefined && event.data.details?.type === 'suite') skippedSuites++;
    if (event.type === 'test:diagnostic' && skippedSuites > 0) {
      const m = /^(skipped|suites) (\d+)$/.exec(event.data.message);
      if (m && m[1] === 'skipped') {
        yield { ...event, data: { ...event.data, message: `skipped ${Number(m[2]) + skippedSuites}` } };
        continue;
      }
    }
    yield event;
  }
}

export default async function* reporter(source) {
  const events = countSkippedSuites(source);
  if (process.stdout.isTTY) yield* Readable.from(events).pipe(new spec());
  else yield* tap(events);
}
