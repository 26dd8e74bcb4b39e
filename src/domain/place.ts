/** A place a person named or shared, resolved to coordinates. */
export interface Place {
  name: string;
  lat: number;
  lon: number;
  /** station | landmark | area | postcode | postcode_district | coordinates | location | … */
  kind: string;
  /** Which geocoder found it. */
  source: string;
  /** 0..1, how sure the geocoder is that this is what was meant. */
  confidence: number;
  /** An area's centre is approximate: callers widen their search. */
  approximate?: boolean;
}

/**
 * Turns a place phrase ("the british museum", "SE1 7PB", "bloomsbury") into places,
 * best first. Implementations live in src/geocode; the core only knows this shape.
 */
export interface Geocoder {
  readonly name: string;
  lookup(query: string, opts?: { signal?: AbortSignal; near?: { lat: number; lon: number } }): Promise<Place[]>;
  /**
   * Build now (a step of) whatever depends on the current station list, so no person's
   * question pays for it. True when more remains: call again, on a later turn of the event loop.
   */
  prepare?(): boolean | void;
  /** Run sample lookups once, so the first real ones run optimised code (after prepare, off the first answer). */
  rehearse?(): void;
}
