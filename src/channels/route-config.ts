export type RouteChannel = 'api' | 'web' | 'sms' | 'voice' | 'mcp' | 'ops';

/**
 * Each route names its channel in its Fastify config, so metrics and the overload
 * guard can tell a Twilio webhook from a health probe without matching URLs.
 */
declare module 'fastify' {
  interface FastifyContextConfig {
    channel?: RouteChannel;
  }
}
