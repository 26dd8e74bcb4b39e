import type { Condition, Measure, Schedule } from './rule.js';

/**
 * Alert and my-stations commands, parsed from plain words before the normal
 * understanding runs. Pure: the station part is returned as words for the
 * existing station resolver, and saved places as their names.
 */
export interface AlertDraft {
  /** Words naming the station or a saved place ("waterloo 3", "home", "my station"). */
  target: string;
  condition: Condition;
  recurring: boolean;
  schedule: Schedule | null;
  /** Minutes from now the rule lasts; null: the default (one-shot 2 h, recurring 90 days). */
  forMinutes: number | null;
  /** Local clock time the rule ends ("until 18:00"), minutes after midnight. */
  untilMin: number | null;
}

export type AlertCommand =
  | { kind: 'create'; draft: AlertDraft }
  | { kind: 'create_incomplete'; missing: 'station' | 'condition'; draft: Partial<AlertDraft> }
  | { kind: 'list' }
  | { kind: 'cancel'; which: { no: number } | { name: string } | 'all' }
  | { kind: 'save_place'; name: string; target: string | null }
  | { kind: 'my_stations' }
  | { kind: 'commute' }
  | { kind: 'forget_me' }
  | { kind: 'forget_place'; name: string };

/** Names a person may give a saved station. Any other single word works with "save this as …". */
export const PLACE_NAMES = ['home', 'work', 'office', 'school', 'uni', 'gym'];

const NUMBER_WORDS: Record<string, number> = {
  zero: 0, no: 0, none: 0, a: 1, an: 1, one: 1, single: 1, two: 2, couple: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, fifteen: 15, twenty: 20,
};
const NUM = `(\\d{1,3}|${Object.keys(NUMBER_WORDS).join('|')})`;

function num(w: string): number {
  return /^\d+$/.test(w) ? Number(w) : (NUMBER_WORDS[w] ?? 1);
}

export function normaliseCommand(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’'`]/g, '')
    .replace(/\be-?(bike|bikes)\b/g, 'e$1')
    .replace(/\belectric bikes?\b/g, 'ebikes')
    .replace(/[^a-z0-9:#&\s]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const CREATE_RE = /^(?:(?:please|can you|could you|pls|hey|hi|ok)\s+)*(?:tell|text|sms|message|notify|alert|ping|warn|let) (?:me )?(?:know )?(?:(?:please|pls) )?(when|if|whenever|once|as soon as|the moment|every time|each time)\b\s*(.*)$/;
const CREATE_RE2 = /^(?:set (?:up )?(?:an )?alert|new alert|alert me|add (?:an )?alert|watch)\b\s*(?:for|when|if|on)?\s*(.*)$/;

/** "work is Waterloo 3", "my home station is Kings Cross": built once, as every message is tested against it. */
const PLACE_IS = new RegExp(`^(?:my )?(${PLACE_NAMES.join('|')})(?: station| dock)? is (?:at |the )?(.+)$`);

/** Null when the text is not one of these commands: the normal understanding takes it. */
export function parseAlertCommand(text: string): AlertCommand | null {
  const t = normaliseCommand(text);
  if (t === '') return null;
  if (/^(?:forget me|forget (?:about )?me|forget my (?:number|data|details|stations|everything)|delete my (?:data|number|details)|delete me|erase me|remove me|remove my data)$/.test(t)) return { kind: 'forget_me' };
  if (/^(?:(?:show |list |what are )?(?:my|all my) (?:alerts?|notifications)|(?:list|show)(?: me)?(?: my)? alerts?|alerts|what alerts (?:do i have|have i got|are set)|which alerts)$/.test(t)) return { kind: 'list' };
  if (/^(?:stop|cancel|delete|remove|clear|end|turn off|switch off|no more)(?: all)?(?: of)?(?: my)?(?: the)? (?:alerts|notifications)$/.test(t) || t === 'stop alerting me' || t === 'stop texting me') return { kind: 'cancel', which: 'all' };
  let m = /^(?:stop|cancel|delete|remove|end|turn off)(?: the| my)? (?:alert|notification)s?(?: number| no| #)? ?#?(\d{1,3})$/.exec(t) ?? /^(?:cancel|delete|remove) #?(\d{1,3})$/.exec(t);
  if (m) return { kind: 'cancel', which: { no: Number(m[1]) } };
  m = /^(?:stop|cancel|delete|remove|end|turn off)(?: the| my)? (?:alert|notification)s? (?:for |about |on |at )?(.+)$/.exec(t) ?? /^(?:cancel|delete|remove)(?: the| my)? (.+?) (?:alert|notification)s?$/.exec(t);
  if (m) return { kind: 'cancel', which: { name: m[1].trim() } };
  if (/^(?:(?:show |list |what are )?my (?:stations|places|saved stations|saved places|favourites|favorites)|saved (?:stations|places))$/.test(t)) return { kind: 'my_stations' };
  if (/^(?:(?:how is |hows |whats |check )?(?:my )?commute(?: now| today)?|home to work|commute status)$/.test(t)) return { kind: 'commute' };
  m = /^(?:forget|delete|remove) (?:my )?(home|work|office|school|uni|gym)(?: station)?$/.exec(t);
  if (m) return { kind: 'forget_place', name: m[1] };
  // "save this as home", "call it work", "remember this station as gym"
  m = /^(?:save|remember|call|mark|set|keep) (?:this|that|it|here)(?: station| one| dock)? (?:as )?(?:my )?([a-z]{2,12})$/.exec(t);
  if (m && m[1] !== 'alert') return { kind: 'save_place', name: m[1], target: null };
  // "work is Waterloo 3", "my home station is Kings Cross", "set home to X", "save Waterloo 3 as home"
  m = PLACE_IS.exec(t);
  if (m) return { kind: 'save_place', name: m[1], target: m[2] };
  m = /^(?:set|make) (?:my )?([a-z]{2,12})(?: station)? (?:to|as) (.+)$/.exec(t);
  if (m && m[1] !== 'alert') return { kind: 'save_place', name: m[1], target: m[2] };
  m = /^(?:save|remember) (.+?) as (?:my )?([a-z]{2,12})$/.exec(t);
  if (m) return { kind: 'save_place', name: m[2], target: m[1] };

  m = CREATE_RE.exec(t);
  if (m) return parseCreate(m[2], /^(?:whenever|every time|each time)$/.test(m[1]));
  m = CREATE_RE2.exec(t);
  if (m) return parseCreate(m[1], false);
  return null;
}

const DAY_NAMES: Record<string, number> = { sun: 0, sunday: 0, sundays: 0, mon: 1, monday: 1, mondays: 1, tue: 2, tues: 2, tuesday: 2, tuesdays: 2, wed: 3, wednesday: 3, wednesdays: 3, thu: 4, thur: 4, thurs: 4, thursday: 4, thursdays: 4, fri: 5, friday: 5, fridays: 5, sat: 6, saturday: 6, saturdays: 6 };
const DAY_RE = Object.keys(DAY_NAMES).sort((a, b) => b.length - a.length).join('|');

/** "8", "8am", "8:30", "18:00", "6 pm", "noon" → minutes after midnight. */
export function clockMinutes(h: string, min: string | undefined, ampm: string | undefined): number | null {
  let hour = Number(h);
  const minute = min ? Number(min) : 0;
  if (!Number.isInteger(hour) || hour > 24 || minute > 59) return null;
  if (ampm === 'pm' && hour < 12) hour += 12;
  if (ampm === 'am' && hour === 12) hour = 0;
  return Math.min(24 * 60, hour * 60 + minute);
}
const CLOCK = `(\\d{1,2})(?::(\\d{2}))? ?(am|pm)?`;
/** Pm is assumed for bare small hours only after "after"/"until" when am makes no sense for a commute (1–6). */
function clockWith(h: string, min: string | undefined, ampm: string | undefined, guessPm: boolean): number | null {
  if (!ampm && guessPm && Number(h) >= 1 && Number(h) <= 6) return clockMinutes(h, min, 'pm');
  return clockMinutes(h, min, ampm);
}

/** Words left around the station name once the condition and times are cut out. */
const EDGE_FILLER = new Set(['at', 'in', 'on', 'for', 'of', 'near', 'by', 'to', 'from', 'the', 'when', 'if', 'there', 'theres', 'is', 'are', 'a', 'an', 'any', 'some', 'has', 'have', 'gets', 'get', 'available', 'free', 'frees', 'up', 'again', 'please', 'pls', 'me', 'let', 'know', 'more', 'becomes', 'become', 'one', 'station', 'dock', 'docking', 'and', 'or', 'so', 'i', 'can', 'it', 'its', 'that', 'then', 'just', 'only']);

function parseCreate(body: string, always: boolean): AlertCommand {
  let b = ` ${body} `;
  let recurring = always;
  let days: number[] | null = null;
  let fromMin: number | null = null;
  let toMin: number | null = null;
  let forMinutes: number | null = null;
  let untilMin: number | null = null;
  const cut = (re: RegExp, on: (m: RegExpExecArray) => void): void => {
    const m = re.exec(b);
    if (m) {
      on(m);
      b = b.slice(0, m.index) + ' ' + b.slice(m.index + m[0].length);
    }
  };
  // Recurrence and days.
  cut(/ (?:on )?(?:every )?(?:weekday|weekdays|work ?days|monday to friday|mon fri|mon to fri)(?: mornings| evenings)? /, () => ((days = [1, 2, 3, 4, 5]), (recurring = true)));
  cut(/ (?:on )?(?:every )?(?:weekends?|saturday and sunday) /, () => ((days = [0, 6]), (recurring = true)));
  cut(new RegExp(` (?:on |every )?((?:${DAY_RE})(?:(?: and | or |,? ?)(?:${DAY_RE}))*) `), (m) => {
    days = [...new Set(m[1].split(/ and | or |,| /).map((d) => DAY_NAMES[d.trim()]).filter((d) => d !== undefined))];
    recurring = true;
  });
  cut(/ (?:every day|everyday|daily|each day|every time|each time|always|whenever|recurring|every morning|every evening) /, () => (recurring = true));
  // Hours.
  cut(new RegExp(` (?:between|from) ${CLOCK} (?:and|to|till|until|-) ${CLOCK} `), (m) => {
    fromMin = clockWith(m[1], m[2], m[3] ?? (m[6] === 'pm' && Number(m[1]) < Number(m[4]) ? 'pm' : undefined), false);
    toMin = clockWith(m[4], m[5], m[6], true);
  });
  cut(new RegExp(` before ${CLOCK} `), (m) => ((fromMin = 0), (toMin = clockWith(m[1], m[2], m[3], false))));
  cut(new RegExp(` after ${CLOCK} `), (m) => ((fromMin = clockWith(m[1], m[2], m[3], true)), (toMin = 24 * 60)));
  cut(/ (?:in the |every |on )?mornings? /, () => ((fromMin ??= 6 * 60), (toMin ??= 12 * 60)));
  cut(/ (?:in the |every |on )?evenings? /, () => ((fromMin ??= 17 * 60), (toMin ??= 22 * 60)));
  // Expiry.
  cut(new RegExp(` (?:for |in |within )(?:the )?(?:next )?(\\d{1,3}|an?|one|two|three|four|five|six|ten|twenty|thirty) ?(minutes?|mins?|hours?|hrs?|h|days?|weeks?) `), (m) => {
    const n = m[1] === 'thirty' ? 30 : num(m[1]);
    const unit = m[2].startsWith('m') ? 1 : m[2].startsWith('h') ? 60 : m[2].startsWith('d') ? 1440 : 10080;
    forMinutes = n * unit;
  });
  cut(new RegExp(` (?:until|till|til|up to|by) ${CLOCK} `), (m) => (untilMin = clockWith(m[1], m[2], m[3], true)));
  cut(/ (?:today|tonight|this (?:morning|afternoon|evening)) /, () => (untilMin ??= 24 * 60 - 1));

  // Condition.
  let condition: Condition | null = null;
  const measureOf = (w: string): Measure => (/^ebike/.test(w) ? 'ebikes' : /^(?:dock|space|slot|spot|bay|place|room)/.test(w) ? 'docks' : 'bikes');
  const MEAS = '(ebikes?|bikes?|bicycles?|docks?|spaces?|slots?|spots?|bays?|places?|room)';
  const pats: Array<[RegExp, (m: RegExpExecArray) => Condition]> = [
    [/ (?:closes|closed|is closed|shuts|shut|goes offline|is locked|stops renting|stops taking bikes|out of service|closing) /, () => ({ kind: 'closed' })],
    [/ (?:reopens|opens|is open again|opens again|back in service|is back) /, () => ({ kind: 'reopened' })],
    [new RegExp(` (?:drops?|falls?|goes|gets|is|are|has|runs|there are|theres|there is)? ?(?:below|under|less than|fewer than|lower than) ${NUM} ${MEAS} `), (m) => ({ kind: 'count', measure: measureOf(m[2]), op: 'below', n: num(m[1]) })],
    [new RegExp(` ${MEAS} (?:drop|drops|fall|falls|go|goes|get|gets|are|is)? ?(?:below|under|less than|fewer than|lower than) ${NUM} `), (m) => ({ kind: 'count', measure: measureOf(m[1]), op: 'below', n: num(m[2]) })],
    [new RegExp(` (?:runs? out of|no more|no|zero|out of) ${MEAS} `), (m) => ({ kind: 'count', measure: measureOf(m[1]), op: 'below', n: 1 })],
    [/ (?:is |gets |becomes )?(?:full|has no space|has no room) /, () => ({ kind: 'count', measure: 'docks', op: 'below', n: 1 })],
    [/ (?:is |gets |becomes |goes )?empty /, () => ({ kind: 'count', measure: 'bikes', op: 'below', n: 1 })],
    [new RegExp(` (?:at least|more than|over|above|${NUM} or more) ?${NUM}? ${MEAS} `), (m) => {
      const whole = m[0];
      const nums = [...whole.matchAll(new RegExp(`\\b${NUM}\\b`, 'g'))].map((x) => num(x[1])).filter((x) => x !== undefined);
      const n = nums.length ? nums[0] : 1;
      return { kind: 'count', measure: measureOf(m[m.length - 1]), op: 'atLeast', n: /more than|over|above/.test(whole) ? n + 1 : n };
    }],
    [new RegExp(` (?:there (?:is|are)|theres|any|an?|${NUM}) (?:free |empty |available |spare |open )?${MEAS} `), (m) => ({ kind: 'count', measure: measureOf(m[2]), op: 'atLeast', n: m[1] && /^\d+$|^(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|couple)$/.test(m[1]) ? num(m[1]) : 1 })],
    [new RegExp(` ${MEAS} (?:free up|frees up|frees|becomes? free|are free|is free|available|become available|is available|come back|show up|turns? up|arrives?|appears?) `), (m) => ({ kind: 'count', measure: measureOf(m[1]), op: 'atLeast', n: 1 })],
    [new RegExp(` (?:free|empty|spare|available|open) ${MEAS} `), (m) => ({ kind: 'count', measure: measureOf(m[1]), op: 'atLeast', n: 1 })],
    [new RegExp(` (?:i can|can i) (?:get|hire|rent|grab) an? ${MEAS} `), (m) => ({ kind: 'count', measure: measureOf(m[1]), op: 'atLeast', n: 1 })],
    [/ (?:i can|can i) (?:park|return|dock|drop off|leave)(?: my bike| a bike| the bike)? /, () => ({ kind: 'count', measure: 'docks', op: 'atLeast', n: 1 })],
    [new RegExp(` ${MEAS} `), (m) => ({ kind: 'count', measure: measureOf(m[1]), op: 'atLeast', n: 1 })],
  ];
  for (const [re, make] of pats) {
    const m = re.exec(b);
    if (m) {
      condition = make(m);
      b = b.slice(0, m.index) + ' ' + b.slice(m.index + m[0].length);
      break;
    }
  }
  const words = b.split(' ').filter(Boolean);
  while (words.length && EDGE_FILLER.has(words[0])) words.shift();
  while (words.length && EDGE_FILLER.has(words[words.length - 1])) words.pop();
  const joined = words.join(' ');
  const target = joined === 'my' || joined === 'my dock' ? 'my station' : joined;
  const schedule: Schedule | null = days || fromMin !== null ? { days: days ?? [0, 1, 2, 3, 4, 5, 6], fromMin: fromMin ?? 0, toMin: toMin ?? 24 * 60 } : null;
  if (schedule) recurring = true;
  const draft = { condition: condition ?? undefined, recurring, schedule, forMinutes, untilMin, target: target || undefined };
  if (!condition) return { kind: 'create_incomplete', missing: 'condition', draft };
  if (!target) return { kind: 'create_incomplete', missing: 'station', draft };
  return { kind: 'create', draft: { target, condition, recurring, schedule, forMinutes, untilMin } };
}
