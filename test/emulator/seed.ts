import { pick, seededRandom, serialId, type Random } from './prng';

/** How much data the emulator starts with. */
export type SeedSize = 'demo' | 'large';

export interface SeedCounts {
  readonly members: number;
  readonly groups: number;
  readonly resources: number;
}

export const SEED_COUNTS: Readonly<Record<SeedSize, SeedCounts>> = {
  demo: { members: 12, groups: 4, resources: 40 },
  large: { members: 5_000, groups: 1_000, resources: 20_000 },
};

export interface SeedPerson {
  readonly n: number;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
}

export interface SeedGroup {
  readonly n: number;
  readonly name: string;
  /** Indexes into people. */
  readonly memberIndexes: readonly number[];
}

export interface SeedResource {
  readonly n: number;
  readonly name: string;
  /** Index into the platform's own list of resource kinds. */
  readonly kind: number;
  /** Index into people: who created it. */
  readonly creator: number;
}

export interface Seed {
  readonly size: SeedSize;
  readonly people: readonly SeedPerson[];
  readonly groups: readonly SeedGroup[];
  readonly resources: readonly SeedResource[];
  readonly random: Random;
}

const FIRST = [
  'Ada',
  'Grace',
  'Alan',
  'Edsger',
  'Barbara',
  'Donald',
  'Frances',
  'Ken',
  'Margaret',
  'Dennis',
  'Radia',
  'Tim',
  'Katherine',
  'Linus',
  'Hedy',
  'John',
];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Allen',
  'Thompson',
  'Hamilton',
  'Ritchie',
  'Perlman',
  'Berners-Lee',
  'Johnson',
  'Torvalds',
  'Lamarr',
  'McCarthy',
];
const TEAMS = ['Support', 'Marketing', 'Research', 'Engineering', 'Sales', 'Design', 'Localization', 'Operations'];
const WORDS = [
  'Narrator',
  'Onboarding',
  'Helpdesk',
  'Podcast',
  'Release Notes',
  'Tutorial',
  'Pricing',
  'Launch',
  'Glossary',
  'Trailer',
  'Handbook',
  'Promo',
];

/** The same size and seed always give the same people, groups and resources. */
export function createSeed(size: SeedSize, seed = 42): Seed {
  const random = seededRandom(seed);
  const counts = SEED_COUNTS[size];
  const people: SeedPerson[] = [];
  for (let n = 0; n < counts.members; n++) {
    const firstName = FIRST[n % FIRST.length];
    const lastName = LAST[Math.floor(n / FIRST.length) % LAST.length];
    const suffix = n < FIRST.length * LAST.length ? '' : String(Math.floor(n / (FIRST.length * LAST.length)));
    const email = `${firstName}.${lastName}${suffix}`.toLowerCase().replace(/[^a-z0-9.]/g, '') + '@example.com';
    people.push({ n, firstName, lastName, email });
  }
  const groups: SeedGroup[] = [];
  for (let n = 0; n < counts.groups; n++) {
    const base = TEAMS[n % TEAMS.length];
    const name = n < TEAMS.length ? base : `${base} ${Math.floor(n / TEAMS.length) + 1}`;
    const size = Math.min(people.length, 2 + Math.floor(random() * 6));
    const memberIndexes = new Set<number>();
    while (memberIndexes.size < size) memberIndexes.add(Math.floor(random() * people.length));
    groups.push({ n, name, memberIndexes: [...memberIndexes].sort((a, b) => a - b) });
  }
  const resources: SeedResource[] = [];
  for (let n = 0; n < counts.resources; n++) {
    resources.push({
      n,
      name: `${pick(random, WORDS)} ${n + 1}`,
      kind: n,
      creator: Math.floor(random() * Math.min(people.length, 4)),
    });
  }
  return { size, people, groups, resources, random };
}

export { serialId };
