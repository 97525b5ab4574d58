import { faker as fakerAu } from '@faker-js/faker/locale/en_AU';
import { faker as fakerCa } from '@faker-js/faker/locale/en_CA';
import { faker as fakerGb } from '@faker-js/faker/locale/en_GB';
import { faker as fakerUs } from '@faker-js/faker/locale/en_US';
import { faker as fakerDe } from '@faker-js/faker/locale/de';
import type { Faker } from '@faker-js/faker';

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
  const fakers = [fakerUs, fakerGb, fakerCa, fakerDe, fakerAu];
  fakers.forEach((f, i) => f.seed(seed * 7 + i));
  const firstNames = [
    ...distinct(220, () => fakerUs.person.firstName()),
    ...distinct(50, () => fakerGb.person.firstName()),
    ...distinct(40, () => fakerDe.person.firstName()),
  ];
  const lastNames = [
    ...distinct(300, () => fakerUs.person.lastName()),
    ...distinct(60, () => fakerGb.person.lastName()),
    ...distinct(50, () => fakerDe.person.lastName()),
  ];
  return {
    firstNames: [...new Set(firstNames)],
    lastNames: [...new Set(lastNames)],
    places: [
      ...places(fakerUs, 'US', '+1', 250, true),
      ...places(fakerCa, 'CA', '+1', 40, true),
      ...places(fakerGb, 'GB', '+44', 40, false),
      ...places(fakerDe, 'DE', '+49', 32, false),
      ...places(fakerAu, 'AU', '+61', 34, true),
    ],
    brands: distinct(60, () => fakerUs.company.name().split(/[\s,-]+/)[0] ?? 'Acme'),
    adjectives: distinct(24, () => fakerUs.commerce.productAdjective()),
  };
}
