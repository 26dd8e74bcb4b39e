import { test } from 'node:test';
import assert from 'node:assert/strict';
import { joinSpokenPostcodes, parsePostcode } from '../src/domain/postcode.js';
import { normaliseText } from '../src/domain/understand/normalise.js';

test('a postcode read out letter by letter and digit by digit is the postcode', () => {
  for (const [said, want] of [
    ['s e one', 'SE1'],
    ['w c one n', 'WC1N'],
    ['e one w', 'E1W'],
    ['n w one six x e', 'NW1 6XE'],
    ['s e one seven e h', 'SE1 7EH'],
    ['e fourteen', 'E14'],
    ['n w eight', 'NW8'],
    ['s w three four s r', 'SW3 4SR'],
    ['n w 1', 'NW1'],
  ] as const) {
    const p = parsePostcode(said);
    assert.equal(p && (p.inward ? `${p.outward} ${p.inward}` : p.outward), want, said);
  }
});

test('words that only look like a read-out postcode are not one', () => {
  for (const said of ['one way street', 'a e i', 'plan b', 'e 1', 'x y z', 'the one', 'q one', 'n w one six x e e e']) assert.equal(parsePostcode(said), null, said);
});

test('the understanding runs a read-out postcode together before its letters can be read as compass points', () => {
  assert.equal(joinSpokenPostcodes('nearest bikes to s e one'), 'nearest bikes to se1');
  assert.equal(joinSpokenPostcodes('um s e one seven e h nearest bike'), 'um se1 7eh nearest bike');
  assert.equal(joinSpokenPostcodes('is there a b 2 bus'), 'is there a b 2 bus');
  assert.equal(joinSpokenPostcodes('bikes at waterloo station 3'), 'bikes at waterloo station 3');
  assert.equal(joinSpokenPostcodes('i got 2 kids'), 'i got 2 kids');
  assert.equal(normaliseText('Closest docks to N W one six X E?'), 'closest docks to nw1 6xe');
  assert.equal(normaliseText('any bikes in e fourteen'), 'any bikes in e14');
});
