import type { Faker } from '@faker-js/faker';
import { faker as fakerDe } from '@faker-js/faker/locale/de';
import { faker as fakerAu } from '@faker-js/faker/locale/en_AU';
import { faker as fakerCa } from '@faker-js/faker/locale/en_CA';
import { faker as fakerGb } from '@faker-js/faker/locale/en_GB';
import { faker as fakerUs } from '@faker-js/faker/locale/en_US';

export interface Place {
  country: string;
  state: string;
  city: string;
  dialCode: string;
}

/** Small word lists that the SQL draws from; rows are picked by hash, never built here. */
export interface Dictionaries {
  firstNames: string[];
  lastNames: string[];
  /** Repeated by country weight, so a uniform pick gives ~63% US customers. */
  places: Place[];
  brands: string[];
  adjectives: string[];
}

function distinct(count: number, draw: () => string): string[] {
  const seen = new Set<string>();
  // Faker's pools are finite; stop after enough attempts rather than loop forever.
  for (let attempt = 0; seen.size < count && attempt < count * 20; attempt++) seen.add(draw());
  return [...seen];
}

function places(f: Faker, country: string, dialCode: string, count: number, abbreviated: boolean): Place[] {
  const out: Place[] = [];
  for (let i = 0; i < count; i++) {
    out.push({ country, dialCode, city: f.location.city(), state: f.location.state({ abbreviated }) });
  }
  return out;
}

/** Only letters, lower-case, ASCII: safe to put in an email address. */
export function emailToken(name: string): string {
  const token = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
  return token === '' ? 'user' : token;
}

/**
 * Builds the dictionaries from faker seeded with `seed`: the same seed always gives the same
 * words (for a given faker version, which is pinned).
 */
export function buildDictionaries(seed: number): Dictionaries {
  // Private instances, so seeding them does not change faker for anyone else in the process.
  // (The locale modules export only an instance; importing the Faker class from the package
  // root would load every locale, ~200 ms.)
  const [us, gb, ca, de, au] = [fakerUs, fakerGb, fakerCa, fakerDe, fakerAu].map((shared, i) => {
    const FakerClass = shared.constructor as new (options: { locale: unknown }) => Faker;
    const own = new FakerClass({ locale: shared.rawDefinitions });
    own.seed(seed * 7 + i);
    return own;
  }) as [Faker, Faker, Faker, Faker, Faker];
  const firstNames = [
    ...distinct(220, () => us.person.firstName()),
    ...distinct(50, () => gb.person.firstName()),
    ...distinct(40, () => de.person.firstName()),
  ];
  const lastNames = [
    ...distinct(300, () => us.person.lastName()),
    ...distinct(60, () => gb.person.lastName()),
    ...distinct(50, () => de.person.lastName()),
  ];
  return {
    firstNames: [...new Set(firstNames)],
    lastNames: [...new Set(lastNames)],
    places: [
      ...places(us, 'US', '+1', 250, true),
      ...places(ca, 'CA', '+1', 40, true),
      ...places(gb, 'GB', '+44', 40, false),
      ...places(de, 'DE', '+49', 32, false),
      ...places(au, 'AU', '+61', 34, true),
    ],
    brands: distinct(60, () => us.company.name().split(/[\s,-]+/)[0] ?? 'Acme'),
    adjectives: distinct(24, () => us.commerce.productAdjective()),
  };
}
