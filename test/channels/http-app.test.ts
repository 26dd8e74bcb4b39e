import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildHttpApp } from '../../src/channels/http-app.js';
import { Metrics } from '../../src/channels/metrics.js';
import type { Answer } from '../../src/domain/answer.js';
import { LogCapture, postJson, startTestServer, type TestServer } from './fixtures/app.js';

describe('HTTP app over loopback', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => {
    await s.close();
  });

  test('GET /healthz answers while the process is up', async () => {
    const res = await fetch(`${s.url}/healthz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok' });
  });

  test('GET /readyz reports the snapshot age and station count', async () => {
    const res = await fetch(`${s.url}/readyz`);
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.status, 'ready');
    assert.equal(body.snapshotAgeS, 110);
    assert.equal(body.stations, 10);
    assert.equal(body.feeds[0].feedId, 'tfl');
  });

  test('chat API: a multi-turn conversation keeps its id and its options', async () => {
    const first = await postJson(`${s.url}/api/chat`, { text: 'bikes at waterloo' });
    assert.equal(first.status, 200);
    const id: string = first.json.conversationId;
    assert.match(id, /^[0-9a-f]{12}[A-Za-z0-9_-]{32}$/, 'issue time, then 128 random bits and a 64-bit tag, base64url');
    const a1: Answer = first.json.answer;
    assert.equal(a1.options.length, 3, a1.reply);
    assert.ok(a1.options.every((o) => o.name.startsWith('Waterloo Station')));

    const second = await postJson(`${s.url}/api/chat`, { conversationId: id, text: '2' });
    assert.equal(second.status, 200);
    assert.equal(second.json.conversationId, id);
    const a2: Answer = second.json.answer;
    assert.deepEqual(a2.options, []);
    assert.equal(a2.stations[0].name, a1.options[1].name, 'the second option was picked');
    assert.equal(a2.dataAsOf, '2022-08-01T08:25:10.259Z');

    // Another conversation knows nothing of the first one's options.
    const other = await postJson(`${s.url}/api/chat`, { text: '2' });
    assert.notEqual(other.json.conversationId, id);
    assert.equal(other.json.answer.stations.length, 0);
  });

  test('chat API: a shared location answers "nearest bikes" with distances', async () => {
    const r = await postJson(`${s.url}/api/chat`, { text: 'nearest bikes', location: { lat: 51.5045, lon: -0.0915 } });
    assert.equal(r.status, 200);
    const a: Answer = r.json.answer;
    assert.equal(a.intent, 'nearest');
    assert.equal(a.stations[0].name, 'Hop Exchange, The Borough');
    assert.ok(a.stations[0].distanceM !== null && a.stations[0].distanceM < 100);
  });

  test('chat API: bad input is a 400 with a stable code', async () => {
    for (const body of [{}, { text: '' }, { text: 'x', location: { lat: 200, lon: 0 } }, { text: 'x', conversationId: 'short' }, '{"text": "unterminated']) {
      const r = await postJson(`${s.url}/api/chat`, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.json.code, 'INVALID_INPUT');
      assert.equal(typeof r.json.message, 'string');
    }
  });

  test('chat API: only JSON objects of the documented shape; the 400 names the field', async () => {
    const cases: Array<[string, RegExp]> = [
      ['{"text":123}', /body\/text must be string/],
      ['true', /body must be a JSON object/],
      ['["a"]', /body must be a JSON object/],
      ['"bikes at waterloo"', /body must be a JSON object/],
      ['null', /body/],
      ['{"text":"hi","extra":1}', /body has unknown property "extra"/],
      ['{"text":"hi","location":{"lat":"51.5","lon":-0.1}}', /body\/location\/lat must be number/],
      ['{"text":"hi","location":{"lat":51.5,"lon":-0.1,"alt":3}}', /body\/location has unknown property "alt"/],
      ['{"text":["bikes"]}', /body\/text must be string/],
      ['{"conversationId":"abcdefghijklmnopqrstuv"}', /body\/text is required/],
    ];
    for (const [body, message] of cases) {
      const r = await postJson(`${s.url}/api/chat`, body);
      assert.equal(r.status, 400, body);
      assert.equal(r.json.code, 'INVALID_INPUT', body);
      assert.match(r.json.message, message, body);
    }
    assert.equal((await postJson(`${s.url}/api/chat`, { text: 'bikes at waterloo' })).status, 200);
  });

  test('chat API: form posts and other-origin requests are refused before any turn', async () => {
    const form = await fetch(`${s.url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' }, body: 'text=bikes+at+waterloo' });
    assert.equal(form.status, 403);
    assert.equal((await form.json()).code, 'UNAUTHORIZED');
    // Same page, but not JSON (what a plain HTML form or text/plain fetch sends).
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x']) {
      const r = await fetch(`${s.url}/api/chat`, { method: 'POST', headers: { 'content-type': type }, body: type.startsWith('multipart') ? '--x--' : 'text=hi' });
      assert.equal(r.status, 415, type);
      assert.equal((await r.json()).code, 'INVALID_INPUT');
    }
    const crossSite = await postJson(`${s.url}/api/chat`, { text: 'bikes at waterloo' }, { 'sec-fetch-site': 'cross-site' });
    assert.equal(crossSite.status, 403);
    const otherOrigin = await postJson(`${s.url}/api/chat`, { text: 'bikes at waterloo' }, { origin: 'https://evil.example' });
    assert.equal(otherOrigin.status, 403);
    // Our own page (same origin) and server-to-server clients (no Origin) are answered.
    const own = await postJson(`${s.url}/api/chat`, { text: 'bikes at waterloo' }, { origin: s.url, 'sec-fetch-site': 'same-origin' });
    assert.equal(own.status, 200);
  });

  test('chat API: an oversize body is a 413 with code PAYLOAD_TOO_LARGE', async () => {
    const r = await postJson(`${s.url}/api/chat`, { text: 'x'.repeat(20 * 1024) });
    assert.equal(r.status, 413);
    assert.equal(r.json.code, 'PAYLOAD_TOO_LARGE');
  });

  test('unknown routes are JSON 404s with a code', async () => {
    const res = await fetch(`${s.url}/nope`);
    assert.equal(res.status, 404);
    assert.equal((await res.json()).code, 'NOT_FOUND');
  });

  test('GET / serves the web chat page with a strict content security policy', async () => {
    const res = await fetch(`${s.url}/`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    const html = await res.text();
    assert.match(html, /<label for="question"/);
    assert.match(html, /aria-live="polite"/);
    const js = await fetch(`${s.url}/app.js`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /javascript/);
    assert.equal((await fetch(`${s.url}/..%2Fpackage.json`)).status, 404);
  });

  test('GET /metrics exposes request, upstream, snapshot-age and session metrics', async () => {
    s.metrics.recordUpstream('tfl', 'not_modified', 0.012);
    await postJson(`${s.url}/api/chat`, { text: 'help' }, { 'x-bikebot-client': 'web' });
    const res = await fetch(`${s.url}/metrics`);
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.match(text, /bikebot_http_requests_total\{channel="api",status="200"\} \d+/);
    assert.match(text, /bikebot_http_requests_total\{channel="api",status="400"\} \d+/);
    assert.match(text, /bikebot_http_request_duration_seconds_bucket\{le="0.005",channel="api"\} \d+/);
    assert.match(text, /bikebot_upstream_requests_total\{feed="tfl",outcome="not_modified"\} 1/);
    assert.match(text, /bikebot_upstream_request_duration_seconds_bucket\{le="0.025",feed="tfl",outcome="not_modified"\} 1/);
    assert.match(text, /bikebot_upstream_request_duration_seconds_bucket\{le="0.01",feed="tfl",outcome="not_modified"\} 0/);
    assert.match(text, /bikebot_messages_total\{channel="web",intent="help"\} 1/);
    assert.match(text, /bikebot_http_requests_total\{channel="web",status="200"\} \d+/);
    assert.match(text, /bikebot_snapshot_age_seconds\{feed="tfl"\} 110/);
    assert.doesNotMatch(text, /gbfs:none/, 'a feed without data has no age rather than a made-up one');
    assert.match(text, /bikebot_sessions \d+/);
  });

  test('GET /openapi.json describes the chat API', async () => {
    const res = await fetch(`${s.url}/openapi.json`);
    assert.equal(res.status, 200);
    const doc = await res.json();
    assert.match(doc.openapi, /^3\./);
    const chat = doc.paths['/api/chat'].post;
    assert.ok(chat.requestBody.content['application/json'].schema.properties.text);
    assert.ok(chat.responses['200'].content['application/json'].schema.properties.answer.properties.stations);
    assert.ok(doc.paths['/twilio/sms'], 'Twilio webhooks are described');
  });

  test('info logs carry neither message text nor phone numbers', async () => {
    await postJson(`${s.url}/api/chat`, { text: 'bikes near borough market please' });
    const text = s.logs.text;
    assert.ok(s.logs.lines.some((l) => l.includes('"route":"/api/chat"')), 'requests are logged');
    assert.ok(!text.includes('borough market please'), 'no message text in logs');
  });
});

describe('HTTP app without a server', () => {
  const base = {
    handleTurn: async (): Promise<Answer> => ({ intent: 'help', want: 'any', reply: 'hi', stations: [], options: [], place: null, dataAsOf: null, stale: false }),
    logger: { level: 'silent' },
    metrics: new Metrics(),
  };

  test('/readyz is 503 before any snapshot', async () => {
    const app = await buildHttpApp({ ...base, readiness: () => ({ ready: false, snapshotAgeS: null, stations: 0, feeds: [] }) });
    const r = await app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(r.statusCode, 503);
    assert.equal(r.json().status, 'not_ready');
    await app.close();
  });

  test('overload: past maxConcurrent requests get 503 + Retry-After, probes still answer; refusals are counted, not logged', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const logs = new LogCapture();
    const metrics = new Metrics();
    const app = await buildHttpApp({
      ...base,
      metrics,
      logger: { level: 'info', stream: logs },
      maxConcurrent: 1,
      readiness: () => ({ ready: true, snapshotAgeS: 1, stations: 1, feeds: [] }),
      handleTurn: async (msg) => {
        await gate;
        return base.handleTurn();
      },
    });
    const slow = app.inject({ method: 'POST', url: '/api/chat', payload: { text: 'one' } });
    await new Promise((r) => setTimeout(r, 20));
    const refused = await app.inject({ method: 'POST', url: '/api/chat', payload: { text: 'two' } });
    assert.equal(refused.statusCode, 503);
    assert.equal(refused.json().code, 'OVERLOADED');
    assert.ok(Number(refused.headers['retry-after']) > 0);
    assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    release();
    assert.equal((await slow).statusCode, 200);
    assert.equal((await app.inject({ method: 'POST', url: '/api/chat', payload: { text: 'three' } })).statusCode, 200, 'capacity is given back');
    const requestLines = logs.lines.map((l) => JSON.parse(l) as { msg: string; status?: number }).filter((l) => l.msg === 'request');
    assert.deepEqual(requestLines.map((l) => l.status).sort(), [200, 200, 200], 'answers are logged, the refusal is not');
    assert.match(await metrics.render(), /bikebot_requests_shed_total\{channel="api",reason="in_flight"\} 1\b/);
    await app.close();
  });

  test('overload: Twilio webhooks get valid TwiML saying busy, never a 503', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const app = await buildHttpApp({
      ...base,
      maxConcurrent: 1,
      twilio: { authToken: 'token-0123456789', publicUrl: 'https://bikebot.example.org' },
      readiness: () => ({ ready: true, snapshotAgeS: 1, stations: 1, feeds: [] }),
      handleTurn: async () => {
        await gate;
        return base.handleTurn();
      },
    });
    const slow = app.inject({ method: 'POST', url: '/api/chat', payload: { text: 'one' } });
    await new Promise((r) => setTimeout(r, 20));
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const sms = await app.inject({ method: 'POST', url: '/twilio/sms', payload: 'From=%2B447700900123&Body=hi', headers: form });
    assert.equal(sms.statusCode, 200);
    assert.match(String(sms.headers['content-type']), /text\/xml/);
    assert.match(sms.body, /^<\?xml version="1.0" encoding="UTF-8"\?><Response><Message>BikeBot is very busy right now\. Please text again in a minute\.<\/Message><\/Response>$/);
    const voice = await app.inject({ method: 'POST', url: '/twilio/voice', payload: 'From=%2B447700900123&CallSid=CA1', headers: form });
    assert.equal(voice.statusCode, 200);
    assert.match(voice.body, /<Response><Say language="en-GB">Sorry, BikeBot is very busy right now\. .*<\/Say><Hangup\/><\/Response>$/);
    release();
    await slow;
    await app.close();
  });

  test('overload: a lagging event loop sheds chat with 503 + Retry-After while /healthz answers', async () => {
    const metrics = new Metrics();
    const app = await buildHttpApp({ ...base, metrics, maxEventLoopDelayMs: 20, readiness: () => ({ ready: true, snapshotAgeS: 1, stations: 1, feeds: [] }) });
    // Block the event loop in 80 ms slices for 2.5 s, as a saturated process would
    // (shedding starts once two quarter-second windows in a row lagged).
    const end = Date.now() + 2500;
    const hog = setInterval(() => {
      const until = Date.now() + 80;
      while (Date.now() < until);
      if (Date.now() > end) clearInterval(hog);
    }, 5);
    const statuses: number[] = [];
    let health = 0;
    while (Date.now() < end) {
      const r = await app.inject({ method: 'POST', url: '/api/chat', payload: { text: 'hi' } });
      statuses.push(r.statusCode);
      if (r.statusCode === 503) assert.ok(Number(r.headers['retry-after']) > 0, 'every refusal says when to come back');
      if ((await app.inject({ method: 'GET', url: '/healthz' })).statusCode === 200) health++;
    }
    clearInterval(hog);
    assert.ok(statuses.includes(503), `some requests shed (${statuses.join(',')})`);
    assert.ok(statuses.every((s) => s === 200 || s === 503));
    assert.equal(health, statuses.length, 'every health check answered');
    assert.match(await metrics.render(), /bikebot_requests_shed_total\{channel="api",reason="event_loop_delay"\} [1-9]/);
    await app.close();
  });

  test('per-client limit on the chat API: 429 RATE_LIMITED with Retry-After', async () => {
    const app = await buildHttpApp({ ...base, chatPerMinute: 3, readiness: () => ({ ready: true, snapshotAgeS: 1, stations: 1, feeds: [] }) });
    const send = (ip: string) => app.inject({ method: 'POST', url: '/api/chat', payload: { text: 'hi' }, remoteAddress: ip });
    for (let i = 0; i < 3; i++) assert.equal((await send('192.0.2.1')).statusCode, 200);
    const limited = await send('192.0.2.1');
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.json().code, 'RATE_LIMITED');
    assert.ok(Number(limited.headers['retry-after']) > 0);
    assert.equal((await send('192.0.2.2')).statusCode, 200, 'another client is not affected');
    assert.equal((await app.inject({ method: 'GET', url: '/healthz', remoteAddress: '192.0.2.1' })).statusCode, 200);
    await app.close();
  });

  test('a turn past the request timeout is a 503, not a hung request', async () => {
    const app = await buildHttpApp({
      ...base,
      requestTimeoutMs: 200,
      readiness: () => ({ ready: true, snapshotAgeS: 1, stations: 1, feeds: [] }),
      handleTurn: () => new Promise(() => {}),
    });
    const r = await app.inject({ method: 'POST', url: '/api/chat', payload: { text: 'stuck' } });
    assert.equal(r.statusCode, 503);
    assert.equal(r.json().code, 'OVERLOADED');
    await app.close();
  });

  test('without Twilio configured there are no Twilio routes', async () => {
    const app = await buildHttpApp({ ...base, readiness: () => ({ ready: true, snapshotAgeS: 1, stations: 1, feeds: [] }) });
    const r = await app.inject({ method: 'POST', url: '/twilio/sms', payload: 'From=%2B447700900123&Body=hi', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(r.statusCode, 404);
    await app.close();
  });
});

test('Metrics: observations made before prom-client is loaded are in the first scrape, with its content type', async () => {
  const prom = await import('prom-client');
  const { METRICS_CONTENT_TYPE } = await import('../../src/channels/metrics.js');
  assert.equal(METRICS_CONTENT_TYPE, prom.Registry.PROMETHEUS_CONTENT_TYPE);
  const metrics = new Metrics();
  metrics.observeRequest('api', 200, 0.01);
  metrics.recordTurn('api', 'station_status');
  metrics.recordUpstream('tfl', 'ok', 0.2);
  metrics.recordShed('api', 'queue_delay');
  const text = await metrics.render();
  assert.match(text, /bikebot_http_requests_total\{channel="api",status="200"\} 1/);
  assert.match(text, /bikebot_messages_total\{channel="api",intent="station_status"\} 1/);
  assert.match(text, /bikebot_upstream_request_duration_seconds_count\{feed="tfl",outcome="ok"\} 1/);
  metrics.observeRequest('api', 200, 0.01);
  assert.match(await metrics.render(), /bikebot_http_requests_total\{channel="api",status="200"\} 2/);
});
