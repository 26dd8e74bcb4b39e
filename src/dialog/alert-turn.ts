import type { Answer } from '../domain/answer.js';
import { parseAlertCommand, PLACE_NAMES, type AlertCommand, type AlertDraft } from '../domain/alerts/command.js';
import { confirmation, listLine, ruleName } from '../domain/alerts/describe.js';
import type { Profile, SavedPlace } from '../domain/alerts/profile.js';
import type { LocalClocks } from '../domain/alerts/local-clock.js';
import type { AlertRule, Delivery, DeliveryChannel } from '../domain/alerts/rule.js';
import type { InboundMessage } from '../domain/message.js';
import type { StationIndex } from '../domain/station-index.js';
import type { Station, Want } from '../domain/station.js';
import { noStationsAnswer, timezoneOf, toAnswerStation } from './answers/common.js';
import { compose } from './replies/compose.js';
import { dataAge, type ZoneClocks } from './replies/data-age.js';
import { cannotServeReason, countsFor } from './replies/format.js';
import type { Session } from './session.js';
import type { Brain, TurnDeps } from './turn-deps.js';

/** The store side of alerts and saved stations, as the dialog sees it (src/alerts/alert-service.ts). */
export interface AlertsPort {
  readonly channels: ReadonlySet<DeliveryChannel>;
  /** Local clocks (formatters per zone) for expiries and confirmations. */
  readonly clocks: LocalClocks;
  profile(owner: string): Promise<Profile>;
  saveProfile(p: Profile): Promise<void>;
  rulesOf(owner: string): AlertRule[];
  addRule(draft: Omit<AlertRule, 'id' | 'no'>): Promise<AlertRule>;
  removeRule(id: string): Promise<void>;
  /** Deletes everything kept about the owner; returns how many records went. */
  forget(owner: string): Promise<number>;
}

export interface PreTurn {
  deps: TurnDeps;
  brain: Brain;
  msg: InboundMessage;
  text: string;
  session: Session | null;
  index: StationIndex | null;
  now: Date;
  clocks: ZoneClocks;
}

/** An answer (the turn ends here), or the text rewritten with saved places spelled out. */
export type PreOutcome = { answer: Answer; session: Partial<Session> | 'keep' | 'clear' } | { text: string };

const ONE_SHOT_MS = 2 * 3600_000;
const RECURRING_MS = 90 * 24 * 3600_000;

interface Who {
  owner: string;
  delivery: Delivery | null;
  word: string;
}

/** Who is asking, and where their alerts would go. */
export function whoIs(msg: InboundMessage, channels: ReadonlySet<DeliveryChannel>): Who | null {
  const to = typeof msg.replyTo === 'string' && msg.replyTo !== '' ? msg.replyTo : null;
  const can = (c: DeliveryChannel) => channels.has(c);
  switch (msg.channel) {
    case 'sms':
      return { owner: msg.conversationId, delivery: to && can('sms') ? { channel: 'sms', to } : null, word: 'text' };
    case 'web':
      return to ? { owner: `web:${to}`, delivery: can('web') ? { channel: 'web', to } : null, word: 'tell' } : null;
    case 'api': {
      const owner = `api:${to ?? msg.conversationId}`;
      return { owner, delivery: can('webhook') ? { channel: 'webhook', to: owner } : null, word: 'notify' };
    }
    // An assistant's alerts go to the integration's webhook, under the subscriber id it chose.
    case 'mcp':
      return to ? { owner: `mcp:${to}`, delivery: can('webhook') ? { channel: 'webhook', to: `mcp:${to}` } : null, word: 'notify' } : null;
    default:
      return null;
  }
}

function reply(text: string, intent: 'alert' | 'my_stations' = 'alert', stations: Station[] = []): Answer {
  const a = noStationsAnswer(intent, 'any', compose({ head: text }).text);
  return stations.length ? { ...a, stations: stations.map((s) => toAnswerStation(s, null)) } : a;
}

const done = (answer: Answer, session: Partial<Session> | 'keep' | 'clear' = 'keep'): PreOutcome => ({ answer, session });

/**
 * Consulted before the normal understanding: alert and my-stations commands are
 * answered here; a question naming a saved place ("bikes at home") comes back
 * with the station's name in its place; anything else is left alone (null).
 */
export async function alertTurn(t: PreTurn, alerts: AlertsPort): Promise<PreOutcome | null> {
  const cmd = t.msg.alertCommand ?? parseAlertCommand(t.text);
  const who = whoIs(t.msg, alerts.channels);
  if (!cmd) return who ? substitutePlaces(t, alerts, who) : null;
  if (!who) return done(reply('Alerts and saved stations work by text message, on the web page and through the API. Ask me there.'));
  switch (cmd.kind) {
    case 'forget_me': {
      const n = await alerts.forget(who.owner);
      return done(reply(n > 0 ? `Done: I've deleted everything I kept for you (${n} record${n === 1 ? '' : 's'}: alerts, saved stations, sent-alert history).` : 'I had nothing kept for you; nothing is left now.'), 'clear');
    }
    case 'list': {
      const rules = alerts.rulesOf(who.owner);
      if (rules.length === 0) return done(reply('You have no alerts. Try "tell me when there\'s a free dock at Waterloo 3".'));
      return done(reply(`Your alerts:\n${rules.map(listLine).join('\n')}\nSay "cancel 1" to stop one, "stop alerts" for all.`));
    }
    case 'cancel':
      return done(reply(await cancel(alerts, who.owner, cmd.which)));
    case 'my_stations':
      return done(myStations(t, await alerts.profile(who.owner)));
    case 'commute':
      return done(commute(t, await alerts.profile(who.owner)));
    case 'forget_place': {
      const p = await alerts.profile(who.owner);
      if (!p.places[cmd.name]) return done(reply(`You have no station saved as ${cmd.name}.`, 'my_stations'));
      const places = { ...p.places };
      delete places[cmd.name];
      await alerts.saveProfile({ ...p, places });
      return done(reply(`Forgotten: ${cmd.name}.`, 'my_stations'));
    }
    case 'save_place':
      return done(await savePlace(t, alerts, who, cmd.name, cmd.target));
    case 'create_incomplete':
    case 'create':
      return done(await create(t, alerts, who, cmd));
  }
}

async function cancel(alerts: AlertsPort, owner: string, which: Extract<AlertCommand, { kind: 'cancel' }>['which']): Promise<string> {
  const rules = alerts.rulesOf(owner);
  if (rules.length === 0) return 'You have no alerts to cancel.';
  let gone: AlertRule[];
  if (which === 'all') gone = rules;
  else if ('no' in which) gone = rules.filter((r) => r.no === which.no);
  else {
    const words = which.name.split(' ').filter((w) => w.length > 1);
    gone = rules.filter((r) => {
      const name = ruleName(r).toLowerCase();
      return words.length > 0 && words.every((w) => name.includes(w));
    });
  }
  if (gone.length === 0) return `I couldn't find that alert. Your alerts:\n${rules.map(listLine).join('\n')}`;
  if (which !== 'all' && gone.length > 1) return `That matches ${gone.length} alerts; say the number:\n${gone.map(listLine).join('\n')}`;
  for (const r of gone) await alerts.removeRule(r.id);
  return which === 'all' ? `All ${gone.length} alert${gone.length === 1 ? '' : 's'} cancelled.` : `Cancelled alert ${gone[0].no} (${ruleName(gone[0])}).`;
}

type Resolved = { station: Station; note: string } | { reply: string; options?: Array<{ id: string; name: string }> };

/** A saved place, "this"/"it" (the station just talked about), or words for the station resolver. */
async function resolveTarget(t: PreTurn, profile: Profile, target: string | null | undefined): Promise<Resolved> {
  const index = t.index;
  if (!index) return { reply: "I don't have station data yet; try again in a minute." };
  // A station id, as a structured caller (MCP) may give from an earlier answer's options.
  const byId = target ? index.get(target) : undefined;
  if (byId) return { station: byId, note: '' };
  const saved = target ? savedPlace(profile, target) : null;
  if (saved) {
    const s = index.get(saved.stationId);
    return s ? { station: s, note: '' } : { reply: `Your ${target} station (${saved.stationName}) is no longer in the feed.` };
  }
  if (target === 'my station') {
    const names = Object.keys(profile.places);
    if (names.length === 0) return { reply: 'You have no saved station yet. Say e.g. "home is Waterloo 3".' };
    // One saved station is "my station"; with several, ask which.
    if (names.length === 1) return resolveTarget(t, profile, names[0]);
    return { reply: `Which one: ${names.join(' or ')}?` };
  }
  if (!target || /^(?:it|this|that|there|here|this station|that station|this one|that one)$/.test(target)) {
    const s = t.session?.stationId ? index.get(t.session.stationId) : undefined;
    return s ? { station: s, note: '' } : { reply: 'Which station? Say its name, e.g. "tell me when there\'s a free dock at Waterloo 3".' };
  }
  const u = t.brain.understand(target, { index, openOptions: [], inConversation: false });
  const subject = u.subject ?? target;
  const it = await t.brain.interpret({ ...u, subject }, { index, geocoder: t.deps.geocoder, location: null });
  switch (it.kind) {
    case 'station':
      return { station: it.station, note: '' };
    case 'place': {
      const near = index.nearest(it.place.lat, it.place.lon, { k: 1 })[0];
      return near ? { station: near.station, note: ` (the nearest station to ${it.place.name})` } : { reply: `I found ${it.place.name} but no station near it.` };
    }
    case 'choose':
      return {
        reply: `Which ${target}? ${it.candidates.slice(0, 4).map((s, i) => `${i + 1}) ${s.name}`).join(' ')}. Say the alert again with the full name.`,
        options: it.candidates.slice(0, 4).map((s) => ({ id: s.id, name: s.name })),
      };
    case 'not_found':
      return { reply: `I couldn't find a station called "${target}".${it.suggestions[0] ? ` Did you mean ${it.suggestions[0].name}?` : ''}` };
  }
}

function savedPlace(p: Profile, target: string): SavedPlace | null {
  const t = target.replace(/^my /, '').replace(/ station$/, '');
  return p.places[t] ?? null;
}

/** Minutes until a local clock time, today or tomorrow. */
function minutesUntil(clocks: LocalClocks, now: Date, timezone: string, at: number): number {
  const m = clocks.at(now, timezone).minutes;
  return at > m ? at - m : at + 24 * 60 - m;
}

async function create(t: PreTurn, alerts: AlertsPort, who: Who, cmd: Extract<AlertCommand, { kind: 'create' | 'create_incomplete' }>): Promise<Answer> {
  if (cmd.kind === 'create_incomplete' && cmd.missing === 'condition') {
    return reply('What should I watch for? E.g. "tell me when there\'s a free dock at Waterloo 3" or "text me if Kings Cross drops below 3 bikes".');
  }
  const draft = cmd.draft as AlertDraft;
  if (!who.delivery) {
    const why = who.word === 'text' ? 'sending texts is not set up on this server' : who.word === 'notify' ? 'no webhook is set up on this server' : 'alerts on the web are not set up here';
    return reply(`I can't set alerts here: ${why}.`);
  }
  const profile = await alerts.profile(who.owner);
  const r = await resolveTarget(t, profile, draft.target);
  // A structured caller gets the candidates' ids to call again with; people get the numbered list in words.
  if ('reply' in r) return r.options && t.msg.alertCommand ? { ...reply(r.reply), options: r.options } : reply(r.reply);
  const s = r.station;
  const timezone = t.index ? timezoneOf(t.index, s.systemId) : 'Europe/London';
  const lifeMs = draft.forMinutes !== null ? draft.forMinutes * 60_000 : draft.untilMin !== null ? minutesUntil(alerts.clocks, t.now, timezone, draft.untilMin) * 60_000 : draft.recurring ? RECURRING_MS : ONE_SHOT_MS;
  const rule = await alerts.addRule({
    owner: who.owner,
    stationId: s.id,
    stationName: s.name,
    systemId: s.systemId,
    timezone,
    condition: draft.condition,
    recurring: draft.recurring,
    schedule: draft.schedule,
    createdAt: t.now.toISOString(),
    expiresAt: new Date(t.now.getTime() + lifeMs).toISOString(),
    delivery: who.delivery,
  });
  let text = confirmation(rule, who.word, t.now, alerts.clocks).replace(` at ${s.name}`, ` at ${s.name}${r.note}`);
  text += await notice(alerts, who);
  return { ...reply(text), stations: [toAnswerStation(s, null)], dataAsOf: s.asOf };
}

/** Said once per person: what is kept and how to remove it. */
async function notice(alerts: AlertsPort, who: Who): Promise<string> {
  const p = await alerts.profile(who.owner);
  if (p.noticeGiven) return '';
  await alerts.saveProfile({ ...p, noticeGiven: true });
  const what = who.word === 'text' ? 'your number, alerts and saved stations' : 'your alerts and saved stations (with this browser\'s token)';
  return ` I keep ${what} until you say FORGET ME.`;
}

async function savePlace(t: PreTurn, alerts: AlertsPort, who: Who, name: string, target: string | null): Promise<Answer> {
  const profile = await alerts.profile(who.owner);
  const r = await resolveTarget(t, profile, target);
  if ('reply' in r) return reply(target === null ? 'Which station? Ask about one first, then say "save this as home", or say "home is Waterloo 3".' : r.reply, 'my_stations');
  const s = r.station;
  await alerts.saveProfile({ ...profile, places: { ...profile.places, [name]: { stationId: s.id, stationName: s.name, systemId: s.systemId } } });
  const extra = name === 'home' || name === 'work' ? ` Ask "bikes at ${name}" or "my commute".` : ` Ask "bikes at ${name}".`;
  return { ...reply(`Saved ${s.name}${r.note} as ${name}.${extra}${await notice(alerts, who)}`, 'my_stations'), stations: [toAnswerStation(s, null)] };
}

function placeLine(t: PreTurn, name: string, p: SavedPlace, want: Want): { line: string; station: Station | null } {
  const s = t.index?.get(p.stationId);
  if (!s) return { line: `${cap(name)} (${p.stationName}): no data right now.`, station: null };
  const reason = cannotServeReason(s, want, { now: t.now, timezone: t.index ? timezoneOf(t.index, s.systemId) : 'Europe/London', clocks: t.clocks });
  return { line: `${cap(name)}, ${s.name}: ${reason ?? countsFor(s, want)}${reason ? '' : '.'}`, station: s };
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function withAge(t: PreTurn, head: string, stations: Station[], intent: 'my_stations'): Answer {
  const tz = t.index && stations[0] ? timezoneOf(t.index, stations[0].systemId) : 'Europe/London';
  const a = dataAge(stations.map((s) => s.asOf), t.now, t.deps.staleAfterMs, tz, t.clocks);
  const { text } = compose({ head, tail: a.note ? [a.note] : [] });
  return { ...reply(text, intent, stations), reply: text, dataAsOf: a.dataAsOf, stale: a.stale };
}

function myStations(t: PreTurn, p: Profile): Answer {
  const names = Object.keys(p.places);
  if (names.length === 0) return reply('You have no saved stations. Say "home is Waterloo 3" or, after asking about a station, "save this as work".', 'my_stations');
  const lines = names.map((n) => placeLine(t, n, p.places[n], 'any'));
  return withAge(t, lines.map((l) => l.line).join('\n'), lines.flatMap((l) => (l.station ? [l.station] : [])), 'my_stations');
}

function commute(t: PreTurn, p: Profile): Answer {
  const home = p.places.home;
  const work = p.places.work;
  if (!home || !work) return reply(`For "my commute" save both ends: ${!home ? '"home is …"' : ''}${!home && !work ? ' and ' : ''}${!work ? '"work is …"' : ''}.`, 'my_stations');
  const a = placeLine(t, 'home', home, 'bikes');
  const b = placeLine(t, 'work', work, 'docks');
  return withAge(t, `${a.line}\n${b.line}`, [a.station, b.station].filter((s): s is Station => s !== null), 'my_stations');
}

/** A saved place's name, or "my station": built once, as every message that is no command is tested against it. */
const PLACE_MENTION = new RegExp(`\\b(?:${PLACE_NAMES.join('|')})\\b|\\bmy station\\b`);

/** "bikes at home" → "bikes at Waterloo Station 3, Waterloo", when home is saved. */
async function substitutePlaces(t: PreTurn, alerts: AlertsPort, who: Who): Promise<PreOutcome | null> {
  const mentioned = PLACE_MENTION.test(t.text.toLowerCase());
  if (!mentioned) return null;
  const p = await alerts.profile(who.owner);
  let text = t.text;
  let changed = false;
  for (const [name, place] of Object.entries(p.places)) {
    const re = new RegExp(`\\b(?:my )?${name}(?: station)?\\b`, 'i');
    if (re.test(text)) {
      text = text.replace(re, place.stationName);
      changed = true;
    }
  }
  const names = Object.keys(p.places);
  if (!changed && /\bmy station\b/i.test(text) && names.length === 1) {
    text = text.replace(/\bmy station\b/i, p.places[names[0]].stationName);
    changed = true;
  }
  return changed ? { text } : null;
}
