import { describe, expect, it } from 'vitest';
import { nameMatches, personName } from './person-name.js';

describe('personName', () => {
  it.each([
    [{ name: 'Ada Lovelace', first_name: 'X' }, 'Ada Lovelace'],
    [{ first_name: 'Ada', last_name: 'Lovelace' }, 'Ada Lovelace'],
    [{ firstName: 'Grace' }, 'Grace'],
    [{ lastName: ' Hopper ' }, 'Hopper'],
    [{ name: '  ', email: 'a@x.test' }, null],
    [{ name: 42 }, null],
    [{}, null],
  ])('%j is %j', (traits, name) => {
    expect(personName(traits)).toBe(name);
  });
});

describe('nameMatches', () => {
  it.each([
    ['Ada Lovelace', 'ada', true],
    ['Ada Lovelace', 'LOVE', true],
    ['Ada Lovelace', 'love ada', true],
    ['Ada Lovelace', 'lace', false],
    ['Ada Lovelace', 'ada bob', false],
    ["Seán O'Brien", 'brien', true],
    ['Jean-Luc Picard', 'luc', true],
    ['Émile Zola', 'émi', true],
    ['Ada', '   ', false],
  ])('%j with %j: %s', (name, query, expected) => {
    expect(nameMatches(name, query)).toBe(expected);
  });
});
