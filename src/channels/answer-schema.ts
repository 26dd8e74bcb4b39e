import type { Answer, AnswerStation } from '../domain/answer.js';

/**
 * JSON Schema of the answer contract (src/domain/answer.ts), for the OpenAPI
 * description and for serialisation: Fastify compiles it into a serializer that
 * writes each known field directly. Closed (additionalProperties: false), because
 * an open schema makes the serializer walk every key of every object with
 * JSON.stringify; the type checks at the end make a field added to the contract
 * but not here a compile error, so none is ever silently dropped.
 */
import { INTENTS } from '../domain/answer.js';

const nullableNumber = { type: 'number', nullable: true } as const;
const nullableInteger = { type: 'integer', nullable: true } as const;

export const ANSWER_STATION_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'lat', 'lon', 'bikes', 'ebikes', 'emptyDocks', 'distanceM', 'asOf'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    lat: nullableNumber,
    lon: nullableNumber,
    bikes: nullableInteger,
    standardBikes: nullableInteger,
    ebikes: nullableInteger,
    emptyDocks: nullableInteger,
    docks: nullableInteger,
    brokenDocks: nullableInteger,
    distanceM: { ...nullableNumber, description: 'Great-circle metres from the place or shared location' },
    asOf: { type: 'string', nullable: true, description: 'When the counts were observed upstream (ISO 8601)' },
  },
} as const;

export const ANSWER_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['intent', 'want', 'reply', 'stations', 'options', 'place', 'dataAsOf', 'stale'],
  properties: {
    intent: { type: 'string', enum: [...INTENTS] },
    want: { type: 'string', enum: ['bikes', 'ebikes', 'docks', 'any'] },
    reply: { type: 'string', description: 'Text a person reads or hears' },
    stations: { type: 'array', items: ANSWER_STATION_SCHEMA },
    options: {
      type: 'array',
      description: 'Non-empty exactly when the bot asks the person to choose; answer with the number or the name',
      items: {
        type: 'object',
        required: ['id', 'name'],
        properties: { id: { type: 'string' }, name: { type: 'string' }, detail: { type: 'string', description: 'What was asked about there, and how far: "12 bikes, 80 m"' } },
      },
    },
    place: {
      type: 'object',
      nullable: true,
      required: ['name', 'lat', 'lon'],
      properties: { name: { type: 'string' }, lat: { type: 'number' }, lon: { type: 'number' } },
    },
    dataAsOf: { type: 'string', nullable: true, description: 'Observation time of the counts (ISO 8601)' },
    stale: { type: 'boolean' },
    timeZone: { type: 'string', description: "IANA zone of the counts' system: every time shown or said is in it" },
  },
} as const;

type Missing<T, S> = Exclude<keyof T, keyof S>;
/** Each is `true` only while every field of the contract is in the schema. */
export const SCHEMA_COVERS_ANSWER: Missing<Answer, (typeof ANSWER_SCHEMA)['properties']> extends never ? true : never = true;
export const SCHEMA_COVERS_STATION: Missing<AnswerStation, (typeof ANSWER_STATION_SCHEMA)['properties']> extends never ? true : never = true;
