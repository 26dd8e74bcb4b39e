/** What a NameIndex is built from and what it finds. */

export interface NameDoc<T> {
  item: T;
  /** The name first, then aliases. */
  names: readonly string[];
  /** Lowercase kinds (`park`, `tube`, `area`…), matched against kind words in the query. */
  kinds: readonly string[];
}

export interface NameHit<T> {
  item: T;
  score: number;
  /** The name or alias that matched best. */
  matched: string;
  /** Said exactly (after normalisation): partial matches never rival an exact one. */
  exact: boolean;
}
