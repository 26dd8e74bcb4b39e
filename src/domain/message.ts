export type ChannelName = 'cli' | 'api' | 'web' | 'sms' | 'voice' | 'lex' | 'eval';

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
  /** Set by voice channels: replies are normalised for speech. */
  voice?: boolean;
}
