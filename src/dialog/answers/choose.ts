import type { Intent } from '../../domain/answer.js';
import type { Station, Want } from '../../domain/station.js';
import { compose, type ListItem } from '../replies/compose.js';
import { echo, shortName } from '../replies/format.js';
import type { SessionPlace } from '../session.js';
import { fitsSms } from '../sms.js';
import { systemLabel, spansSystems } from '../systems.js';
import { notFoundReply } from '../replies/canned.js';
import { examplesFor } from '../replies/examples.js';
import { age, distanceFrom, MAX_OPTIONS, noStationsAnswer, render, textAnswer, toAnswerPlace, type BuildCtx, type Built } from './common.js';
import { nameNumbers, numberedFamily } from '../choice.js';
import { bikesPhrase, distancePhrase, headlineCount, spacesPhrase } from '../replies/format.js';

/**
 * The order options are offered in. A numbered family ("Waterloo Station 3, 2, 1") goes
 * in its own number order, so "1" and "Station 1" are the same answer. Otherwise the
 * ones that can serve the want come first, nearest first when there is a place, else
 * the most bikes (or spaces); ties keep the resolver's order.
 */
export function orderOptions(list: readonly Station[], want: Want, place: { lat: number; lon: number } | null): Station[] {
  if (numberedFamily(list.map((s) => s.name))) return [...list].sort((a, b) => nameNumbers(a.name)[0] - nameNumbers(b.name)[0]);
  const count = (s: Station): number => (want === 'docks' ? s.emptyDocks : want === 'ebikes' ? (s.ebikes ?? s.bikes) : want === 'bikes' ? s.bikes : 1) ?? -1;
  const serves = (s: Station): number => (count(s) > 0 ? 0 : 1);
  const key = list.map((s, i) => ({ s, i, serve: serves(s), d: distanceFrom(place, s), c: count(s) }));
  key.sort((a, b) => a.serve - b.serve || (a.d !== null && b.d !== null ? a.d - b.d : want === 'any' ? 0 : b.c - a.c) || a.i - b.i);
  return key.map((k) => k.s);
}

/** "12 bikes, 80 m": what the person asked about, and how far when there is a place. */
export function optionDetail(s: Station, want: Want, place: { lat: number; lon: number } | null): string {
  const counts = want === 'any' ? [bikesPhrase(s.bikes) ?? 'bike count unknown', spacesPhrase(s.emptyDocks) ?? 'space count unknown'].join(', ') : headlineCount(s, want);
  const d = distanceFrom(place, s);
  return d === null ? counts : `${counts}, ${distancePhrase(d)}`;
}

/** "Waterloo Station 3, Waterloo" → "Waterloo" (the area after the last comma), or null when none. */
function areaOf(name: string): string | null {
  const i = name.lastIndexOf(',');
  const area = i > 0 ? name.slice(i + 1).trim() : '';
  return area.length > 0 ? area : null;
}

/** The words every candidate's name starts with ("Waterloo"), for "There are 9 stations called …". */
function sharedWords(list: readonly Station[]): string {
  const split = list.map((s) => shortName(s.name).split(/\s+/));
  const out: string[] = [];
  for (let i = 0; i < split[0].length; i++) {
    const w = split[0][i];
    if (!split.every((ws) => ws[i]?.toLowerCase() === w.toLowerCase())) break;
    out.push(w);
  }
  return out.join(' ');
}

function orList(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/**
 * Ask the person to choose. Every close candidate is listed, numbered, when the
 * whole question still fits two SMS segments (at most MAX_OPTIONS of them); when it
 * does not, no candidate is silently dropped: the person is asked to narrow down by
 * area (or city), and every candidate stays open so that a name or an area answers it.
 */
export function chooseAnswer(ctx: BuildCtx, candidates: readonly Station[], want: Want, intent: Intent, head: string, place: SessionPlace | null = null, ordered = true): Built {
  const list = ordered ? orderOptions(candidates, want, place) : [...candidates];
  // The session keeps what a reply is matched against; counts go stale and stay in the answer.
  const session = (options: Array<{ id: string; name: string }>) => ({ intent, want, stationId: null, place, lastIds: [], options: options.map(({ id, name }) => ({ id, name })) });
  const answerPlace = place ? toAnswerPlace(place) : null;
  // Namesakes in different cities are told apart by the city, in the reply and in the options.
  const multi = spansSystems(list);
  const city = multi ? (s: Station) => ` (${systemLabel(ctx.index, s.systemId)})` : () => '';
  const details = list.map((s) => optionDetail(s, want, place));
  const named = list.map((s, i) => ({ id: s.id, name: `${s.name}${city(s)}`, detail: details[i] }));

  if (list.length <= MAX_OPTIONS) {
    const spoken = ctx.voice && list.length >= 2 ? spokenChoice(ctx, list, named, want, intent, head, answerPlace, session) : null;
    if (spoken) return spoken;
    // Counts and distance beside each name when the whole list still fits with them; a
    // long list drops them before it drops options.
    const withDetail: ListItem[] = list.map((s, i) => ({ full: `${named[i].name}: ${details[i]}`, short: `${shortName(s.name)}${city(s)}: ${details[i]}` }));
    const plain: ListItem[] = list.map((s, i) => ({ full: named[i].name, short: `${shortName(s.name)}${city(s)}` }));
    // One candidate is a confirmation, not a choice: still an option, so "1" or "yes" can take it.
    const tail = list.length === 1 ? (ctx.voice ? 'Say yes if so, or ask again.' : 'Reply 1 if so, or ask again.') : 'Reply with a number.';
    const note = age(ctx, list).note;
    const attempt = (items: ListItem[], minItems: number) => {
      const c = compose({ head: list.length === 1 ? 'Did you mean:' : head, items, numbered: true, minItems, tail: [tail], optional: note ? [note] : [] }, render(ctx));
      // compose() shortens names from the middle ("...") or cuts the text as a last resort: then the list did not fit.
      const cut = c.text.includes('...') && !items.some((it) => it.full.includes('...'));
      return { ...c, whole: c.kept === list.length && !cut };
    };
    let items = withDetail;
    let composed = attempt(withDetail, list.length);
    if (!composed.whole) {
      items = plain;
      composed = attempt(plain, list.length);
    }
    if (composed.whole || list.length <= 2) {
      const options = named.slice(0, composed.kept);
      return { answer: noStationsAnswer(intent, want, composed.text, options, answerPlace), session: session(options) };
    }
    // Few enough to choose from, too long to list whole: number the best that fit and keep
    // every candidate open, so a number picks a listed one and more of the name the others.
    const some = compose({ head, items, numbered: true, minItems: 2, tail: [tail], optional: note ? [note] : [] }, render(ctx));
    // Names shortened in the middle ("... Gate 2") still tell the options apart; a text cut at the end does not.
    if (some.kept >= 2 && !some.text.endsWith('...')) {
      const options = named.slice(0, some.kept);
      const rest = named.slice(some.kept);
      return { answer: noStationsAnswer(intent, want, some.text, options, answerPlace), session: session([...options, ...rest]) };
    }
  }
  return narrowAnswer(ctx, list, named, want, intent, answerPlace, session, multi);
}

/**
 * On a call a list is a sentence: "Which one did you mean: Waterloo Station 1, 12 bikes;
 * Waterloo Station 2, no bikes; or Waterloo Station 3, 12 bikes? Say the number or the name."
 * Names are said without their area (the caller knows which area was asked about) unless
 * two would sound alike without it.
 */
function spokenChoice(
  ctx: BuildCtx,
  list: readonly Station[],
  named: Array<{ id: string; name: string; detail: string }>,
  want: Want,
  intent: Intent,
  head: string,
  answerPlace: { name: string; lat: number; lon: number } | null,
  session: (options: Array<{ id: string; name: string }>) => Built['session'],
): Built | null {
  const shorts = list.map((s) => shortName(s.name));
  const useShort = new Set(shorts).size === shorts.length && !spansSystems(list);
  const lead = head.replace(/[?:.]\s*$/, '');
  const note = age(ctx, [...list]).note;
  // With counts if they fit the length a written reply gets, else names alone, else null (a numbered list).
  for (const withDetail of [true, false]) {
    const said = named.map((o, i) => `${useShort ? shorts[i] : o.name}${withDetail ? `, ${o.detail}` : ''}`);
    const sep = withDetail ? '; ' : ', ';
    const joined = `${said.slice(0, -1).join(sep)}${sep.trim() === ';' ? ';' : ''} or ${said[said.length - 1]}`;
    const text = render(ctx)(`${lead}: ${joined}? Say the number or the name.${note ? ` ${note}` : ''}`);
    if (fitsSms(text)) return { answer: noStationsAnswer(intent, want, text, named, answerPlace), session: session(named) };
  }
  return null;
}

/** Too many to list in one message: ask which area (or city), keeping every candidate open for the reply. */
function narrowAnswer(
  ctx: BuildCtx,
  list: readonly Station[],
  named: Array<{ id: string; name: string }>,
  want: Want,
  intent: Intent,
  answerPlace: { name: string; lat: number; lon: number } | null,
  session: (options: Array<{ id: string; name: string }>) => Built['session'],
  multi: boolean,
): Built {
  const label = sharedWords(list);
  const opening = label ? `There are ${list.length} stations called ${label}` : `${list.length} stations match`;
  // Areas (or cities, across systems) in order of the best candidate in each, each said once.
  const groups: string[] = [];
  for (const s of list) {
    const g = multi ? systemLabel(ctx.index, s.systemId) : areaOf(s.name);
    if (g && !groups.includes(g)) groups.push(g);
  }
  const noun = multi ? 'city' : 'area';
  let text: string;
  if (groups.length >= 2) {
    // As many areas as fit, best first; the rest are summed up rather than cut mid-name.
    text = `${opening}: which ${noun}? ${orList(groups)}.`;
    for (let n = groups.length - 1; n >= 2 && !fitsSms(render(ctx)(text)); n--) text = `${opening}: which ${noun}? ${groups.slice(0, n).join(', ')} or another.`;
  } else {
    // One area for all (e.g. "Kings Cross 1 … 9, Kings Cross"): the area tells nothing, the rest of the name does.
    const example = shortName(list[list.length - 1].name);
    const inArea = groups.length === 1 && groups[0].toLowerCase() !== label.toLowerCase() ? ` in ${groups[0]}` : '';
    const verb = ctx.voice ? 'Say' : 'Reply with';
    text = `${opening}${inArea}: which one? ${verb} the rest of its name, e.g. "${echo(example, 40)}".`;
    // Long names in UCS-2 leave little room: the example goes before the question is cut.
    if (!fitsSms(render(ctx)(text))) text = `${opening}${inArea}: which one? ${verb} the rest of its name.`;
  }
  const composed = compose({ head: text }, render(ctx));
  // Nothing is numbered: the answer offers no numbered options, but every candidate stays
  // open in the session so that an area, a street or a number-bearing name picks among them.
  return { answer: noStationsAnswer(intent, want, composed.text, [], answerPlace), session: session(named) };
}

export function notFoundAnswer(ctx: BuildCtx, subject: string, suggestions: readonly Station[], want: Want, intent: Intent): Built {
  const said = echo(subject, 30);
  if (suggestions.length === 0) {
    return {
      answer: textAnswer(intent, want, notFoundReply(said, examplesFor(ctx.index, ctx.systemId)), ctx.voice),
      session: { intent, want, stationId: null, place: null, lastIds: [], options: [] },
    };
  }
  return chooseAnswer(ctx, suggestions.slice(0, 3), want, intent, `I couldn't find "${said}". Did you mean:`);
}
