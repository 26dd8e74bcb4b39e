import type { StationIndex } from '../domain/station-index.js';
import type { Station, Want } from '../domain/station.js';
import { chooseAnswer } from './answers/choose.js';
import { textAnswer, type BuildCtx } from './answers/common.js';
import { nearestAnswer } from './answers/nearest.js';
import { stationStatus } from './answers/station-status.js';
import { readChoice } from './choice.js';
import { bareChoice, matchOptions } from './follow-up.js';
import { noSuchChoiceReply } from './replies/canned.js';
import type { Session } from './session.js';
import { buildCtx, done, type Outcome, type Turn } from './turn-context.js';

/** A reply that refers to the previous turn, or null when it does not apply to this session. */
export function followUp(t: Turn, s: Session, index: StationIndex): Outcome | null {
  const { u } = t;
  const ctx = buildCtx(t, index, s.systemId);
  const want: Want = u.want !== 'any' ? u.want : s.want;
  // "Did you mean X?" is answered "yes" as often as "1"; only a bare yes counts.
  const yes = s.options.length === 1 && /^\s*(yes|yeah|yep|yup|y|ok|okay|sure|correct|that one|that's it|thats it)( please| thanks)?[.!]*\s*$/i.test(t.text);
  // Open options are read here, against their names ("station three" is Station 3 however
  // the list was numbered); understanding's own reading is the fallback.
  const read = s.options.length > 0 ? readChoice(t.text, s.options, { voice: ctx.voice }) : null;
  const choice = yes
    ? 0
    : read?.kind === 'option'
      ? read.index
      : read?.kind === 'out_of_range'
        ? (read.said >= 1 ? read.said - 1 : Number.MAX_SAFE_INTEGER)
        : u.followUp?.kind === 'choose'
          ? u.followUp.index
          : u.followUp === null
            ? bareChoice(t.text)
            : null;
  const pickFrom = s.options.length > 0 ? s.options.map((o) => o.id) : s.lastIds;
  if (choice !== null && pickFrom.length > 0) {
    const i = choice < 0 ? pickFrom.length - 1 : choice;
    if (i >= pickFrom.length) {
      const list = chooseAgain(ctx, s, index, noSuchChoiceReply(pickFrom.length) + ' Which one?', want);
      return list ?? { answer: textAnswer(u.intent, want, noSuchChoiceReply(pickFrom.length), ctx.voice), session: 'keep' };
    }
    return pick(ctx, s, index, pickFrom[i], want);
  }
  if (s.options.length > 0) {
    const said = u.followUp?.kind === 'choose_name' ? u.followUp.text : u.followUp === null ? (u.subject ?? t.text) : null;
    let fit = said === null ? [] : matchOptions(said, s.options);
    // "Waterloo" after "which area? Waterloo, South Bank …" names the area, not every Waterloo dock.
    if (said !== null && fit.length === s.options.length && fit.length > 1) {
      const inArea = matchOptions(said, s.options.map((o) => ({ name: o.name.slice(o.name.lastIndexOf(',') + 1) })));
      if (inArea.length > 0) fit = inArea;
    }
    if (fit.length === 1) return pick(ctx, s, index, s.options[fit[0]].id, want);
    // An area or a shared word ("south bank") narrows the choice: ask again among those.
    if (fit.length >= 2 && fit.length < s.options.length) {
      const again = chooseAgain(ctx, { ...s, options: fit.map((k) => s.options[k]) }, index, 'Which one?', want);
      if (again) return again;
    }
  }
  if (u.followUp?.kind === 'want') {
    const w = u.followUp.want;
    if (s.options.length > 0) return chooseAgain(ctx, s, index, 'Which one?', w);
    if (s.stationId) {
      const st = index.get(s.stationId);
      if (st) return done(stationStatus(ctx, st, w, null), false);
    }
    if (s.place) return done(nearestAnswer(ctx, s.place, w), false);
    return null;
  }
  if (u.followUp?.kind === 'next' && s.place) {
    const b = nearestAnswer(ctx, s.place, want, new Set(s.shownIds), true);
    return done(b, false);
  }
  return null;
}

function chooseAgain(ctx: BuildCtx, s: Session, index: StationIndex, head: string, want: Want): Outcome | null {
  if (s.options.length === 0) return null;
  const stations = s.options.map((o) => index.get(o.id)).filter((x): x is Station => x !== undefined);
  if (stations.length < 2) return null;
  return done(chooseAnswer(ctx, stations, want, s.intent, head, s.place), false);
}

function pick(ctx: BuildCtx, s: Session, index: StationIndex, id: string, want: Want): Outcome {
  const st = index.get(id);
  if (!st) {
    // The data moved on since the options were offered and that station is gone.
    return { answer: textAnswer('station_status', want, 'Sorry, that station is no longer in the data. Please ask again.', ctx.voice), session: 'clear' };
  }
  const from = s.options.length > 0 && s.place ? s.place : s.intent === 'nearest' ? s.place : null;
  return done(stationStatus(ctx, st, want, from), true);
}
