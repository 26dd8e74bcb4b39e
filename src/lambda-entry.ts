/**
 * AWS Lambda entry points. `handler` serves the HTTP API (API Gateway / function URL
 * through @fastify/aws-lambda); `lexHandler` is the Amazon Lex V2 code hook. Both share
 * one warm core per container. Configure with BIKEBOT_* variables; set
 * BIKEBOT_DATA_DIR=/tmp/bikebot (the only writable place) or BIKEBOT_REDIS_URL.
 */
import { createLazyLambdaHandlers } from './channels/lambda.js';
import { loadConfigFromEnv } from './config.js';
import { buildServedApp } from './serve.js';

export const { http: handler, lex: lexHandler } = createLazyLambdaHandlers(async () => {
  const { core, app } = await buildServedApp(loadConfigFromEnv('serve'), { processMetrics: false });
  core.start();
  // Lambda freezes between invocations; the first question must not wait for a poll timer.
  if (!core.live.index()) await Promise.all(core.pollers.map((p) => p.pollNow()));
  return { app, handleTurn: core.handleTurn };
});
