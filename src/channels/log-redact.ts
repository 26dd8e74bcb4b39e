/**
 * Message text and phone numbers are personal: they never reach logs at any level
 * through the request serializers, and these paths are cut from anything else logged.
 */
export const LOG_REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-twilio-signature"]',
  'req.body',
  'body',
  'text',
  'From',
  'To',
  'Body',
  'SpeechResult',
];
