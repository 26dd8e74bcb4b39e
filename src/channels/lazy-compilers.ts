/**
 * Fastify's own schema compilers, made when first needed. As an app gets ready, Fastify
 * loads its default validator compiler (@fastify/ajv-compiler: Ajv's JTD build, formats)
 * and compiles a fast-json-stringify serializer for every route and status code — 23
 * here, each with an Ajv instance of its own — all before a restarted server's first
 * answer, and mostly for replies (the ops, web, MCP and Twilio routes) it seldom sends
 * first. Our JSON routes validate with their own strict compiler (strict-input.ts), so
 * the default validator compiler is loaded only if a route ever asks for it. The chat
 * route's serializers are made at once (compileNow) — from the build's prebuilt code when
 * it matches (prebuilt-serializers.ts), else compiled — as before: its first answers
 * need them, and compiled inside the first request they would make the requests read in
 * the same turn wait past the queue-delay bound. Every other serializer is compiled on
 * first use, and whatever is still not compiled a moment after
 * listening (compileRest), one per turn of the event loop: a shed 503 under load never
 * pays for a compile, and a schema that cannot be compiled shows within seconds of a
 * start. Both are the very modules Fastify would use (resolved from Fastify's own
 * package), with the options it passes: the same checks and the same bytes as before.
 */
import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';
import type { PrebuiltSerializers } from './prebuilt-serializers.js';

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
type ValidatorFactory = NonNullable<CompilersFactory['buildValidator']>;
type SerializerFactory = NonNullable<CompilersFactory['buildSerializer']>;

export interface LazyCompilers {
  /** Fastify's `schemaController` option. */
  schemaController: { compilersFactory: { buildValidator: ValidatorFactory; buildSerializer: SerializerFactory } };
  /** Compiles every serializer not compiled yet, one per turn of the event loop. */
  compileRest(): Promise<void>;
}

/** Fastify's dependencies, as Fastify itself resolves them. */
function fromFastify<T>(id: string): T {
  const here = createRequire(import.meta.url);
  return createRequire(here.resolve('fastify'))(id) as T;
}

export interface LazyCompilerOptions {
  /** Routes whose serializers are compiled as the app gets ready, as Fastify does: those the first answers need. */
  compileNow?: (route: { method: string; url: string; httpStatus: string }) => boolean;
  /** Serializers generated at build time (prebuilt-serializers.ts), used for those routes when their compile inputs match. */
  prebuilt?: PrebuiltSerializers;
}

export function lazyCompilers(opts: LazyCompilerOptions = {}): LazyCompilers {
  const pending = new Set<() => void>();
  const buildValidator: ValidatorFactory = (externalSchemas, ajvOptions) => fromFastify<() => ValidatorFactory>('@fastify/ajv-compiler')()(externalSchemas, ajvOptions);
  const buildSerializer: SerializerFactory = (externalSchemas, options) => {
    // Loaded by the first compile: fast-json-stringify brings Ajv and ajv-formats with it.
    let compiler: ReturnType<SerializerFactory> | null = null;
    const compile: ReturnType<SerializerFactory> = (route) => (compiler ??= fromFastify<() => SerializerFactory>('@fastify/fast-json-stringify-compiler')()(externalSchemas, options))(route);
    return (route) => {
      if (opts.compileNow?.(route)) return opts.prebuilt?.get(route.schema, externalSchemas, options) ?? compile(route);
      let serialize: ((doc: unknown) => string) | null = null;
      const make = () => {
        pending.delete(make);
        return (serialize ??= compile(route));
      };
      pending.add(make);
      return (doc: unknown) => (serialize ?? make())(doc);
    };
  };
  const compileRest = async () => {
    for (const make of [...pending]) {
      await new Promise((resolve) => setImmediate(resolve));
      make();
    }
  };
  return { schemaController: { compilersFactory: { buildValidator, buildSerializer } }, compileRest };
}
