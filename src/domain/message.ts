import type { AlertCommand } from './alerts/command.js';

export type ChannelName = 'cli' | 'api' | 'web' | 'sms' | 'voice' | 'lex' | 'mcp' | 'eval';

/** What every channel turns its native request into. */
export interface InboundMessage {
  channel: ChannelName;
  /** Stable per conversation (channel + sender); sessions are keyed by it. */
  conversationId: string;
  text: string;
  /** A location the channel shared (browser geolocation, Lex slot …). */
  location?: { lat: number; lon: number } | null;
  /**
   * Where alerts for this sender go: SMS the phone number, web the browser's device
   * token, API the client's own id. Absent: alerts cannot be set from this message.
   */
  replyTo?: string;
  /**
   * The channel has just issued this conversation's id (the chat API's first message):
   * there is no stored session to read, so the turn skips the store round trip.
   */
  newConversation?: boolean;
  /** Set by voice channels: replies are normalised for speech. */
  voice?: boolean;
  /**
   * The speech recognizer's confidence in `text`, 0..1 (Twilio `Confidence`, Lex V2
   * `transcriptionConfidence`); null or absent when the channel has none (typed text).
   */
  confidence?: number | null;
  /**
   * The recognizer's other readings of the same utterance, best first (Lex V2
   * `transcriptions` after the first), each with its confidence or null. The dialog
   * understands every one and combines them (dialog/n-best.ts).
   */
  alternatives?: ReadonlyArray<{ text: string; confidence: number | null }>;
  /**
   * An alert command already in structured form (MCP's create_alert): used instead of
   * parsing `text`, which then only describes it. The station is still named in words
   * or by id, and resolved like any other.
   */
  alertCommand?: AlertCommand;
}

/** A recognizer confidence as given, or null when it is not a number in [0, 1]. */
export function recognizerConfidence(v: unknown): number | null {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 && n <= 1 ? n : null;
}
