import twilio from 'twilio';

/** One answered (or failed) request, for the per-phase table and the plots over time. */
export interface Sample {
  /** ms since the rehearsal started. */
  t: number;
  channel: 'chat' | 'sms';
  /** HTTP status; 0 for a request that got no response (reset, refused, timeout). */
  status: number;
  ms: number;
  /** 503 carrying Retry-After: load shed on purpose, not a failure. */
  shed: boolean;
  stale: boolean;
}

export interface LoadTarget {
  name: string;
  url: string;
}

export interface ChatLoad {
  stop(): void;
  done: Promise<void>;
}

interface ChatBody {
  answer?: { stale?: boolean };
}

/**
 * Chat API load on one replica through autocannon's programmatic API: each request asks
 * the next recorded question; responses feed `record`.
 */
export async function chatLoad(opts: { target: LoadTarget; rate: number; connections: number; seconds: number; questions: readonly string[]; start: number; record: (s: Sample) => void }): Promise<ChatLoad> {
  const { default: autocannon } = await import('autocannon');
  let i = Math.floor(Math.random() * opts.questions.length);
  // The status and latency come with the 'response' event, the body and headers with
  // onResponse, which autocannon calls synchronously just before: a queue joins them.
  const verdicts: Array<{ stale: boolean; shed: boolean }> = [];
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => (finish = resolve));
  const instance = autocannon(
    {
      url: opts.target.url,
      connections: opts.connections,
      overallRate: Math.max(1, Math.round(opts.rate)),
      duration: opts.seconds,
      timeout: 10,
      requests: [
        {
          method: 'POST',
          path: '/api/chat',
          headers: { 'content-type': 'application/json' },
          setupRequest: (req) => ({ ...req, body: JSON.stringify({ text: opts.questions[i++ % opts.questions.length] }) }),
          onResponse: (status, body, _context, headers) => {
            let s = false;
            if (status === 200) {
              try {
                s = (JSON.parse(body) as ChatBody).answer?.stale === true;
              } catch {
                // Not our JSON: counted by status alone.
              }
            }
            const retryAfter = headers && Object.keys(headers).some((k) => k.toLowerCase() === 'retry-after');
            verdicts.push({ stale: s, shed: status === 503 && Boolean(retryAfter) });
          },
        },
      ],
    },
    () => finish(),
  );
  // After stop() (its replica is about to be killed), what is still in flight is not
  // counted: a load balancer would have routed those requests to a live replica.
  let stopped = false;
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (stopped) return;
    const v = verdicts.shift() ?? { stale: false, shed: false };
    opts.record({ t: Date.now() - opts.start, channel: 'chat', status: statusCode, ms: responseTime, shed: v.shed, stale: v.stale });
  });
  // Errors and client timeouts alike (autocannon reports a timeout as a reqError).
  instance.on('reqError', () => {
    if (stopped) return;
    opts.record({ t: Date.now() - opts.start, channel: 'chat', status: 0, ms: 0, shed: false, stale: false });
  });
  return {
    stop: () => {
      stopped = true;
      instance.stop();
    },
    done,
  };
}

/**
 * Signed Twilio SMS webhooks, `rate` per second spread over the targets, each from its
 * own sender (per-sender limits are not what is rehearsed). Signed for publicUrl, as
 * Twilio signs the public address a load balancer forwards.
 */
export function smsLoad(opts: { targets: () => LoadTarget[]; rate: number; seconds: number; questions: readonly string[]; authToken: string; publicUrl: string; start: number; record: (s: Sample) => void }): ChatLoad {
  let stopped = false;
  const pending = new Set<Promise<void>>();
  let n = 0;
  const end = Date.now() + opts.seconds * 1000;
  const send = async () => {
    const targets = opts.targets();
    if (targets.length === 0) return;
    const target = targets[n % targets.length];
    const params = { From: `+4477009${String(10000 + ((n * 7919) % 89999))}`, To: '+447700900000', Body: opts.questions[n % opts.questions.length], MessageSid: `SM${Date.now().toString(16)}${n}` };
    n++;
    const signature = twilio.getExpectedTwilioSignature(opts.authToken, `${opts.publicUrl}/twilio/sms`, params);
    const t0 = Date.now();
    try {
      const res = await fetch(`${target.url}/twilio/sms`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, body: new URLSearchParams(params).toString(), signal: AbortSignal.timeout(10_000) });
      await res.text();
      opts.record({ t: t0 - opts.start, channel: 'sms', status: res.status, ms: Date.now() - t0, shed: res.status === 503 && res.headers.has('retry-after'), stale: false });
    } catch {
      opts.record({ t: t0 - opts.start, channel: 'sms', status: 0, ms: Date.now() - t0, shed: false, stale: false });
    }
  };
  const done = (async () => {
    if (opts.rate <= 0) return;
    const gap = 1000 / opts.rate;
    while (!stopped && Date.now() < end) {
      const p = send().finally(() => pending.delete(p));
      pending.add(p);
      await new Promise((r) => setTimeout(r, gap));
    }
    await Promise.all(pending);
  })();
  return { stop: () => (stopped = true), done };
}

export type ConversationOutcome = 'kept' | 'told' | 'lost' | 'failed';

/**
 * A two-turn conversation across replicas: "nearest bikes to <place>" on one, "and
 * docks?" on the other. Kept: the second replica knew the place. Told: it did not, but
 * said it cannot recall (Redis down). Lost: it did not and said nothing. Failed: a turn
 * got no answer at all.
 */
export async function crossConversation(first: LoadTarget, second: LoadTarget, place: { lat: number; lon: number }): Promise<ConversationOutcome> {
  const post = async (target: LoadTarget, body: object) => {
    let res = await fetch(`${target.url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
    // A person told "busy, again in N s" asks again once after N s.
    const retryAfter = Number(res.headers.get('retry-after'));
    if (res.status === 503 && retryAfter > 0) {
      await res.arrayBuffer();
      await new Promise((r) => setTimeout(r, retryAfter * 1000));
      res = await fetch(`${target.url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
    }
    if (res.status !== 200) return null;
    return (await res.json()) as { conversationId: string; answer: { intent: string; want: string; reply: string; place: { lat: number } | null } };
  };
  try {
    const a = await post(first, { text: `nearest bikes to ${place.lat.toFixed(4)},${place.lon.toFixed(4)}` });
    if (!a) return 'failed';
    const b = await post(second, { text: 'and docks?', conversationId: a.conversationId });
    if (!b) return 'failed';
    if (b.answer.intent === 'nearest' && b.answer.want === 'docks' && b.answer.place && Math.abs(b.answer.place.lat - place.lat) < 1e-3) return 'kept';
    if (/can't recall/.test(a.answer.reply) || /can't recall/.test(b.answer.reply)) return 'told';
    return 'lost';
  } catch {
    return 'failed';
  }
}

/** p-th percentile (0..100) of a list of numbers; null when empty. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}
