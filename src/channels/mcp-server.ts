/**
 * BikeBot as Model Context Protocol tools, for AI assistants. Each tool turns its
 * arguments into the same InboundMessage every channel sends, so an assistant gets
 * exactly the answer a person would — the same understanding, choices and honesty
 * about the data's age — plus the structured answer object with its observation time.
 * Transports live elsewhere: stdio in cli.ts (`bikebot mcp`), Streamable HTTP in mcp-http.ts.
 */
import { randomBytes } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { INTENTS, type Answer, type Intent } from '../domain/answer.js';
import type { StationIndex } from '../domain/station-index.js';
import type { SystemInfo, Want } from '../domain/station.js';
import type { HandleTurn } from '../dialog/turn-deps.js';
import type { AlertRule, DeliveryChannel } from '../domain/alerts/rule.js';
import type { InboundMessage } from '../domain/message.js';
import { registerAlertTools } from './mcp-alert-tools.js';
import { listsAllOptions } from './speech.js';

export interface McpDeps {
  handleTurn: HandleTurn;
  index: () => StationIndex | null;
  systems: () => readonly SystemInfo[];
  version: string;
  /** Told about each answered tool call, for metrics (channel "mcp"). */
  onTurn?: (intent: string) => void;
  /** The alert engine, when this process has one: create_alert, list_alerts and cancel_alert need its webhook. */
  alerts?: McpAlerts | null;
}

/** What the alert tools read directly; creating and cancelling go through the dialog like any message. */
export interface McpAlerts {
  readonly channels: ReadonlySet<DeliveryChannel>;
  rulesOf(owner: string): AlertRule[];
}

const WANT = z.enum(['bikes', 'ebikes', 'docks', 'any']);
const nullableNumber = z.number().nullable();
const nullableInt = z.number().int().nullable();

const AnswerStation = z
  .object({
    id: z.string(),
    name: z.string(),
    lat: nullableNumber,
    lon: nullableNumber,
    bikes: nullableInt,
    standardBikes: nullableInt,
    ebikes: nullableInt,
    emptyDocks: nullableInt.describe('Free docks that work (broken docks are never counted as space)'),
    docks: nullableInt,
    brokenDocks: nullableInt,
    distanceM: nullableNumber.describe('Metres from the place asked about, when there was one'),
    asOf: z.string().nullable().describe('When these counts were observed upstream (ISO 8601)'),
  })
  .passthrough();

export const AnswerSchema = z
  .object({
    intent: z.enum(INTENTS as [Intent, ...Intent[]]),
    want: WANT,
    reply: z.string().describe('The answer as BikeBot would say it to a person'),
    stations: z.array(AnswerStation),
    options: z.array(z.object({ id: z.string(), name: z.string(), detail: z.string().optional().describe('What was asked about there, and how far: "12 bikes, 80 m"') })).describe('Non-empty when the name was ambiguous: ask which one, then call again with the same conversationId'),
    place: z.object({ name: z.string(), lat: z.number(), lon: z.number() }).nullable(),
    dataAsOf: z.string().nullable().describe('Observation time of the counts (ISO 8601); null when no counts are given'),
    stale: z.boolean().describe('True when the counts are old enough that they may have changed'),
    timeZone: z.string().optional().describe("IANA zone of the counts' system; times in the reply are in it"),
  })
  .passthrough();

/** The output of station_status and nearest. */
const TurnOutput = {
  conversationId: z.string().describe('Pass it back to continue this conversation (e.g. to pick one of `answer.options`)'),
  observedAt: z.string().nullable().describe('When the counts in this answer were observed upstream (ISO 8601); null when none are given'),
  stale: z.boolean(),
  answer: AnswerSchema,
};

const SystemsOutput = {
  systems: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      timezone: z.string(),
      aliases: z.array(z.string()),
      stations: z.number().int().describe('Stations currently loaded'),
      observedAt: z.string().nullable().describe('Oldest observation time among its loaded counts (ISO 8601); null before the first data'),
    }),
  ),
};

export const CONVERSATION_ID = z
  .string()
  .regex(/^[A-Za-z0-9_-]{16,64}$/)
  .optional()
  .describe('From an earlier result, to continue that conversation; omit to start a new one');

const WANT_WORDS: Record<Want, string> = { bikes: 'bikes', ebikes: 'e-bikes', docks: 'docks', any: 'bikes and docks' };

/** The reply as text, with the options listed when the reply itself does not name them all. */
export function replyText(answer: Answer): string {
  const listed = answer.options.length === 0 || listsAllOptions(answer.reply, answer.options);
  return listed ? answer.reply : `${answer.reply}\n${answer.options.map((o, i) => `${i + 1}. ${o.name}`).join('\n')}`;
}

function turnResult(conversationId: string, answer: Answer): CallToolResult {
  return {
    content: [{ type: 'text', text: replyText(answer) }],
    structuredContent: { conversationId, observedAt: answer.dataAsOf, stale: answer.stale, answer } as unknown as Record<string, unknown>,
  };
}

/** A new conversation id for a call that did not continue one. */
export function newConversationId(): string {
  return randomBytes(16).toString('base64url');
}

/** One message through the dialog, as channel "mcp". */
export async function mcpTurn(deps: McpDeps, msg: Omit<InboundMessage, 'channel'>): Promise<Answer> {
  const answer = await deps.handleTurn({ channel: 'mcp', ...msg });
  deps.onTurn?.(answer.intent);
  return answer;
}

/** A new McpServer with BikeBot's tools. Cheap: the HTTP transport makes one per request. */
export function createMcpServer(deps: McpDeps): McpServer {
  const server = new McpServer({ name: 'bikebot', version: deps.version }, { instructions: 'Live bike-share docking station counts (London Santander Cycles and GBFS cities). Quote the observation time; say when data is stale.' });

  const ask = async (conversationId: string | undefined, text: string, location: { lat: number; lon: number } | null): Promise<CallToolResult> => {
    const id = conversationId ?? newConversationId();
    return turnResult(id, await mcpTurn(deps, { conversationId: `mcp:${id}`, text, location }));
  };

  server.registerTool(
    'station_status',
    {
      title: 'Bikes and docks at a station',
      description:
        'Counts of bikes, e-bikes and free docks at a docking station named as a person would say it ("Waterloo station 3", "british museum", "kings x"). ' +
        'When the name fits several stations the answer lists `options`: ask the user, then call again with the same conversationId and the option\'s number or name as `name`.',
      inputSchema: {
        name: z.string().trim().min(1).max(200).describe('Station name, loosely spelled, optionally with the city ("Clark & Lake chicago")'),
        want: WANT.default('any').describe('What the person needs: bikes, ebikes, docks (to return a bike) or any'),
        conversationId: CONVERSATION_ID,
      },
      outputSchema: TurnOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ name, want, conversationId }) => ask(conversationId, want === 'any' || conversationId ? name : `${WANT_WORDS[want]} at ${name}`, null),
  );

  server.registerTool(
    'nearest',
    {
      title: 'Nearest stations with bikes or docks',
      description: 'The nearest docking stations that have what is wanted, near a place (landmark, street, postcode, rail station) or a latitude/longitude.',
      inputSchema: {
        place: z.string().trim().min(1).max(200).optional().describe('A place as a person would name it ("British Museum", "SE1 7PB", "union station chicago")'),
        lat: z.number().min(-90).max(90).optional(),
        lon: z.number().min(-180).max(180).optional(),
        want: WANT.default('bikes'),
        conversationId: CONVERSATION_ID,
      },
      outputSchema: TurnOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ place, lat, lon, want, conversationId }) => {
      const hasPoint = lat !== undefined && lon !== undefined;
      if (!place && !hasPoint) return { isError: true, content: [{ type: 'text', text: 'Give a place, or both lat and lon.' }] };
      if ((lat === undefined) !== (lon === undefined)) return { isError: true, content: [{ type: 'text', text: 'Give both lat and lon, or neither.' }] };
      const text = place ? `nearest ${WANT_WORDS[want]} near ${place}` : `nearest ${WANT_WORDS[want]}`;
      return ask(conversationId, text, place ? null : { lat: lat as number, lon: lon as number });
    },
  );

  server.registerTool(
    'systems',
    {
      title: 'Bike-share systems served',
      description: 'The bike-share systems (cities) this BikeBot answers for, with how many stations are loaded and when their counts were observed.',
      inputSchema: {},
      outputSchema: SystemsOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async () => {
      const index = deps.index();
      const systems = deps.systems().map((s) => {
        const stations = index ? index.stations.filter((st) => st.systemId === s.id) : [];
        let oldest: string | null = null;
        for (const st of stations) if (st.asOf && (oldest === null || st.asOf < oldest)) oldest = st.asOf;
        return { id: s.id, name: s.name, timezone: s.timezone, aliases: [...(s.aliases ?? [])], stations: stations.length, observedAt: oldest };
      });
      const text = systems.map((s) => `${s.name} (${s.id}, ${s.timezone}): ${s.stations} stations${s.observedAt ? `, observed ${s.observedAt}` : ', no data yet'}`).join('\n');
      return { content: [{ type: 'text', text }], structuredContent: { systems } };
    },
  );

  const alerts = deps.alerts;
  if (alerts?.channels.has('webhook')) {
    registerAlertTools(server, {
      // Each change is a conversation of its own: nothing is left open to continue.
      turn: (msg) => mcpTurn(deps, { ...msg, conversationId: `mcp:${newConversationId()}` }),
      text: replyText,
      rulesOf: (owner) => alerts.rulesOf(owner),
    });
  }
  return server;
}
