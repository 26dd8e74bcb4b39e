/** What one person has saved: named stations ("home", "work") and the rule counter. */
export interface SavedPlace {
  stationId: string;
  stationName: string;
  systemId: string;
}

export interface Profile {
  v: 1;
  owner: string;
  places: Record<string, SavedPlace>;
  /** The next rule number to hand out. */
  nextNo: number;
  /** "What is kept, and FORGET ME deletes it" has been said once. */
  noticeGiven: boolean;
}

export function emptyProfile(owner: string): Profile {
  return { v: 1, owner, places: {}, nextNo: 1, noticeGiven: false };
}
