import './route-config.js';
import type { FastifyPluginAsync } from 'fastify';
import type { HandleTurn } from '../dialog/turn-deps.js';
import type { ChannelName } from '../domain/message.js';
import { ANSWER_SCHEMA } from './answer-schema.js';
import { ERROR_BODY_SCHEMA } from './http-errors.js';
import { runTurn } from './run-turn.js';
import { ConversationIds } from './conversation-ids.js';
import { ChatRateLimit } from './chat-rate-limit.js';
import type { WindowCounter } from './sender-rate-limit.js';
import { refuseCrossOriginAndNonJson, strictValidatorCompiler } from './strict-input.js';

export interface ChatApiOptions {
  handleTurn: HandleTurn;
  turnTimeoutMs: number;
  onTurn?: (channel: ChannelName, intent: string) => void;
  /** Issues and checks conversation ids; default: a secret of this process's own. */
  conversationIds?: ConversationIds;
  /** Requests per minute per client address (0: none). */
  ratePerMinute?: number;
  /** Redis mode: the per-client counts live there, shared by every replica. */
  sharedCounter?: WindowCounter;
}

export interface ChatRequest {
  conversationId?: string;
  text: string;
  location?: { lat: number; lon: number };
  /** The browser's (or API client's) own long-lived id: alerts and saved stations are kept under it. */
  deviceToken?: string;
}

const CONVERSATION_ID = { type: 'string', pattern: '^[A-Za-z0-9_-]{16,64}$' } as const;

export const CHAT_BODY_SCHEMA = {
  type: 'object',
  required: ['text'],
  additionalProperties: false,
  properties: {
    conversationId: { ...CONVERSATION_ID, description: 'Omit on the first turn; send back the one you were given. An id the server did not issue starts a new conversation under a new id.' },
    text: { type: 'string', minLength: 1, maxLength: 500 },
    deviceToken: { ...CONVERSATION_ID, description: 'Long-lived random id kept by the client (the page keeps it in localStorage): alerts and saved stations belong to it, and /api/alerts/stream?device= streams its alerts' },
    location: {
      type: 'object',
      required: ['lat', 'lon'],
      additionalProperties: false,
      properties: { lat: { type: 'number', minimum: -90, maximum: 90 }, lon: { type: 'number', minimum: -180, maximum: 180 } },
    },
  },
} as const;

/**
 * POST /api/chat. The web page and API clients share it; the page marks itself
 * with X-BikeBot-Client: web so the two are counted apart. Session keys carry the
 * channel prefix so an API client can never step into an SMS conversation.
 */
export const chatApiPlugin: FastifyPluginAsync<ChatApiOptions> = async (app, opts) => {
  const ids = opts.conversationIds ?? new ConversationIds();
  const validatorCompiler = strictValidatorCompiler();
  const perMinute = opts.ratePerMinute ?? 0;
  const limit = perMinute > 0 ? new ChatRateLimit(perMinute, opts.sharedCounter ?? null).hook() : null;
  app.post<{ Body: ChatRequest }>(
    '/api/chat',
    {
      config: { channel: 'api' },
      onRequest: limit ? [refuseCrossOriginAndNonJson, limit] : refuseCrossOriginAndNonJson,
      validatorCompiler,
      schema: {
        summary: 'Ask BikeBot one message of a conversation',
        tags: ['chat'],
        body: CHAT_BODY_SCHEMA,
        response: {
          200: {
            type: 'object',
            required: ['conversationId', 'answer'],
            properties: { conversationId: CONVERSATION_ID, answer: ANSWER_SCHEMA },
          },
          400: ERROR_BODY_SCHEMA,
          403: ERROR_BODY_SCHEMA,
          413: ERROR_BODY_SCHEMA,
          415: ERROR_BODY_SCHEMA,
          429: ERROR_BODY_SCHEMA,
          503: ERROR_BODY_SCHEMA,
        },
      },
    },
    async (req) => {
      const channel: ChannelName = req.headers['x-bikebot-client'] === 'web' ? 'web' : 'api';
      // Only ids we issued continue a conversation; anything else starts a new one under a new id.
      const sent = req.body.conversationId;
      const continued = ids.isIssued(sent);
      const conversationId = continued ? sent : ids.issue();
      const text = req.body.text.trim();
      const answer = await runTurn(
        opts.handleTurn,
        {
          channel,
          conversationId: `chat:${conversationId}`,
          newConversation: !continued,
          text: text === '' ? '?' : text,
          location: req.body.location ?? null,
          ...(req.body.deviceToken ? { replyTo: req.body.deviceToken } : {}),
        },
        opts.turnTimeoutMs,
      );
      opts.onTurn?.(channel, answer.intent);
      return { conversationId, answer };
    },
  );
};
