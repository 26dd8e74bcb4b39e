/**
 * Alerts as MCP tools: an assistant sets, lists and cancels alerts for one of its
 * users (the subscriber), and BikeBot posts each alert to the server's signed
 * webhook with `to: "mcp:<subscriber>"`. The tools carry structured arguments, but
 * creating and cancelling still go through the dialog as one message each, so the
 * station is resolved, the rule confirmed and the privacy notice given exactly as
 * for a text message; listing reads the rules as they are stored.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { clockMinutes, type AlertCommand } from '../domain/alerts/command.js';
import { conditionPhrase, listLine, schedulePhrase } from '../domain/alerts/describe.js';
import { hhmm } from '../domain/alerts/local-clock.js';
import type { AlertRule, Condition, Schedule } from '../domain/alerts/rule.js';
import type { Answer } from '../domain/answer.js';
import type { InboundMessage } from '../domain/message.js';

/** What the tools need from the MCP server around them. */
export interface AlertToolsIo {
  /** One message through the dialog as channel "mcp", in a conversation of its own. */
  turn(msg: Pick<InboundMessage, 'text' | 'replyTo' | 'alertCommand'>): Promise<Answer>;
  /** The answer's reply as the other tools give it in `content`. */
  text(answer: Answer): string;
  /** The subscriber's rules as stored. */
  rulesOf(owner: string): AlertRule[];
}

const SUBSCRIBER = z
  .string()
  .regex(/^[A-Za-z0-9_-]{16,64}$/)
  .describe('Your id for the person the alert is for (16–64 letters, digits, _ or -; keep it unguessable). Alerts are POSTed to this server\'s alert webhook with `to: "mcp:<subscriber>"`.');

const DAY = z.enum(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']);
const DAYS = DAY.options;
const CLOCK = z
  .string()
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/)
  .describe('Local time at the station, HH:MM');

const AlertOut = z.object({
  number: z.number().int().describe('The alert\'s number for this subscriber, for cancel_alert'),
  stationId: z.string(),
  stationName: z.string(),
  condition: z.string().describe('In words: "there\'s a free dock", "it drops below 3 bikes", "it closes"'),
  summary: z.string().describe('One line as BikeBot lists it to a person'),
  recurring: z.boolean(),
  schedule: z.object({ days: z.array(DAY), from: z.string(), to: z.string(), words: z.string() }).nullable(),
  expiresAt: z.string().nullable().describe('ISO 8601; null for a recurring alert with no end'),
});

const AlertsOutput = { subscriber: z.string(), alerts: z.array(AlertOut) };

const ChangeOutput = {
  subscriber: z.string(),
  reply: z.string().describe('What BikeBot said, as it would say it to a person'),
  created: AlertOut.nullable().describe('The new alert; null when none was made (see reply, and options when the station name was ambiguous)'),
  cancelled: z.array(z.number().int()).describe('Numbers of the alerts that were cancelled'),
  options: z.array(z.object({ id: z.string(), name: z.string() })).describe('When the station name fitted several: call again with one option\'s id as `station`'),
  observedAt: z.string().nullable().describe('When the counts of the named station were observed upstream (ISO 8601)'),
  alerts: z.array(AlertOut).describe('All of the subscriber\'s alerts after this call'),
};

/** "HH:MM" for a schedule bound; the end of the day stays 24:00 here (structured), where sentences say 23:59. */
function clockOut(min: number): string {
  return min >= 24 * 60 ? '24:00' : hhmm(min);
}

/** Minutes after midnight of an "HH:MM" the schema has already checked. */
function minutes(clock: string): number {
  const [h, m] = clock.split(':');
  return clockMinutes(h, m, undefined) as number;
}

function alertOut(r: AlertRule): z.infer<typeof AlertOut> {
  return {
    number: r.no,
    stationId: r.stationId,
    stationName: r.stationName,
    condition: conditionPhrase(r.condition),
    summary: listLine(r),
    recurring: r.recurring,
    schedule: r.schedule ? { days: r.schedule.days.map((d) => DAYS[d]), from: clockOut(r.schedule.fromMin), to: clockOut(r.schedule.toMin), words: schedulePhrase(r.schedule) } : null,
    expiresAt: r.expiresAt,
  };
}

function changeResult(io: AlertToolsIo, subscriber: string, answer: Answer, before: readonly AlertRule[], after: readonly AlertRule[]): CallToolResult {
  const had = new Set(before.map((r) => r.no));
  const left = new Set(after.map((r) => r.no));
  const made = after.filter((r) => !had.has(r.no)).sort((a, b) => b.no - a.no)[0] ?? null;
  const out = {
    subscriber,
    reply: answer.reply,
    created: made ? alertOut(made) : null,
    cancelled: before.filter((r) => !left.has(r.no)).map((r) => r.no),
    options: answer.options.map((o) => ({ id: o.id, name: o.name })),
    observedAt: made ? answer.dataAsOf : null,
    alerts: after.map(alertOut),
  };
  return { content: [{ type: 'text', text: io.text(answer) }], structuredContent: out };
}

/** The condition the arguments describe, or the reason they describe none. */
function conditionOf(when: string, atLeast: number | undefined, below: number | undefined): Condition | string {
  if (when === 'closes') return atLeast === undefined && below === undefined ? { kind: 'closed' } : 'atLeast and below go with bikes, ebikes or docks, not with closes.';
  if (when === 'reopens') return atLeast === undefined && below === undefined ? { kind: 'reopened' } : 'atLeast and below go with bikes, ebikes or docks, not with reopens.';
  if (atLeast !== undefined && below !== undefined) return 'Give atLeast or below, not both.';
  const measure = when as 'bikes' | 'ebikes' | 'docks';
  return below !== undefined ? { kind: 'count', measure, op: 'below', n: below } : { kind: 'count', measure, op: 'atLeast', n: atLeast ?? 1 };
}

const refuse = (text: string): CallToolResult => ({ isError: true, content: [{ type: 'text', text }] });

export function registerAlertTools(server: McpServer, io: AlertToolsIo): void {
  const owner = (subscriber: string) => `mcp:${subscriber}`;
  const turn = (subscriber: string, text: string, alertCommand: AlertCommand) => io.turn({ text, replyTo: subscriber, alertCommand });

  server.registerTool(
    'create_alert',
    {
      title: 'Alert when a station changes',
      description:
        'Watch one docking station and notify the subscriber (through this server\'s signed alert webhook) when it has bikes, e-bikes or free docks — at least a number, or below one — or when it closes or reopens. ' +
        'One-shot by default (fires once, lasts 2 hours); recurring with days and hours. Every alert carries the time the feed observed the counts.',
      inputSchema: {
        subscriber: SUBSCRIBER,
        station: z.string().trim().min(1).max(200).describe('The station as a person would name it ("Waterloo station 3"), a station id from an earlier answer, or a saved place ("home")'),
        when: z.enum(['bikes', 'ebikes', 'docks', 'closes', 'reopens']).describe('What to watch: bikes, ebikes, docks (free docks to return a bike), or the station closing / reopening'),
        atLeast: z.number().int().min(1).max(999).optional().describe('Fire when the count rises to this or more (default 1)'),
        below: z.number().int().min(1).max(999).optional().describe('Fire when the count falls below this instead'),
        recurring: z.boolean().default(false).describe('Fire each time the condition becomes true, not just once'),
        days: z.array(DAY).min(1).max(7).optional().describe('Days watched (makes it recurring)'),
        from: CLOCK.optional().describe('Watched from this local time (makes it recurring)'),
        to: CLOCK.optional().describe('Watched until this local time'),
        forMinutes: z.number().int().min(1).max(180 * 24 * 60).optional().describe('How long the alert lasts (default: 2 hours one-shot, 90 days recurring)'),
      },
      outputSchema: ChangeOutput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    async ({ subscriber, station, when, atLeast, below, recurring, days, from, to, forMinutes }) => {
      const condition = conditionOf(when, atLeast, below);
      if (typeof condition === 'string') return refuse(condition);
      const timed = days !== undefined || from !== undefined || to !== undefined;
      const schedule: Schedule | null = timed
        ? { days: days ? [...new Set(days.map((d) => DAYS.indexOf(d)))].sort((a, b) => a - b) : [0, 1, 2, 3, 4, 5, 6], fromMin: from ? minutes(from) : 0, toMin: to ? minutes(to) : 24 * 60 }
        : null;
      const command: AlertCommand = { kind: 'create', draft: { target: station, condition, recurring: recurring || timed, schedule, forMinutes: forMinutes ?? null, untilMin: null } };
      const before = io.rulesOf(owner(subscriber));
      const answer = await turn(subscriber, `tell me when ${conditionPhrase(condition)} at ${station}`, command);
      return changeResult(io, subscriber, answer, before, io.rulesOf(owner(subscriber)));
    },
  );

  server.registerTool(
    'list_alerts',
    {
      title: 'The subscriber\'s alerts',
      description: 'Every alert the subscriber has, with its number (for cancel_alert), station, condition, schedule and expiry.',
      inputSchema: { subscriber: SUBSCRIBER },
      outputSchema: AlertsOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ subscriber }) => {
      const rules = io.rulesOf(owner(subscriber));
      const text = rules.length ? rules.map(listLine).join('\n') : 'No alerts.';
      return { content: [{ type: 'text', text }], structuredContent: { subscriber, alerts: rules.map(alertOut) } };
    },
  );

  server.registerTool(
    'cancel_alert',
    {
      title: 'Cancel alerts',
      description: 'Cancel one of the subscriber\'s alerts by its number, or all of them; or forget the subscriber: delete everything kept for them (alerts, saved stations, sent-alert history).',
      inputSchema: {
        subscriber: SUBSCRIBER,
        number: z.number().int().min(1).optional().describe('The alert\'s number (from list_alerts or create_alert)'),
        all: z.boolean().optional().describe('Cancel every alert of the subscriber'),
        forget: z.boolean().optional().describe('Delete everything kept for the subscriber, as "forget me" does by text'),
      },
      outputSchema: ChangeOutput,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    async ({ subscriber, number, all, forget }) => {
      const asked = [number !== undefined, all === true, forget === true].filter(Boolean).length;
      if (asked !== 1) return refuse('Give one of: the alert\'s number, all: true, or forget: true.');
      const [text, command]: [string, AlertCommand] = forget
        ? ['forget me', { kind: 'forget_me' }]
        : all
          ? ['stop alerts', { kind: 'cancel', which: 'all' }]
          : [`cancel alert ${number}`, { kind: 'cancel', which: { no: number as number } }];
      const before = io.rulesOf(owner(subscriber));
      const answer = await turn(subscriber, text, command);
      return changeResult(io, subscriber, answer, before, io.rulesOf(owner(subscriber)));
    },
  );
}
