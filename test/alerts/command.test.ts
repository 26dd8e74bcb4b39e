import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAlertCommand } from '../../src/domain/alerts/command.js';

const create = (text: string) => {
  const c = parseAlertCommand(text);
  assert.equal(c?.kind, 'create', `${text} → ${JSON.stringify(c)}`);
  return (c as Extract<typeof c, { kind: 'create' }>).draft;
};

test('alert rules from plain words: station, condition, threshold, recurrence, expiry', () => {
  let d = create('tell me when a dock frees up at Waterloo');
  assert.deepEqual([d.target, d.condition, d.recurring, d.schedule], ['waterloo', { kind: 'count', measure: 'docks', op: 'atLeast', n: 1 }, false, null]);
  d = create("let me know when there's an e-bike at Waterloo 3");
  assert.deepEqual([d.target, d.condition], ['waterloo 3', { kind: 'count', measure: 'ebikes', op: 'atLeast', n: 1 }]);
  d = create('text me if Kings Cross drops below three bikes before 8 on weekdays');
  assert.deepEqual([d.target, d.condition, d.recurring, d.schedule], ['kings cross', { kind: 'count', measure: 'bikes', op: 'below', n: 3 }, true, { days: [1, 2, 3, 4, 5], fromMin: 0, toMin: 480 }]);
  d = create('notify me when there are at least 3 docks at Hyde Park Corner every weekday between 8 and 9:30am');
  assert.deepEqual([d.target, d.condition, d.schedule], ['hyde park corner', { kind: 'count', measure: 'docks', op: 'atLeast', n: 3 }, { days: [1, 2, 3, 4, 5], fromMin: 480, toMin: 570 }]);
  d = create('text me when Belgrove Street gets a bike in the next 30 minutes');
  assert.deepEqual([d.target, d.forMinutes], ['belgrove street', 30]);
  d = create('tell me if my station closes');
  assert.deepEqual([d.target, d.condition], ['my station', { kind: 'closed' }]);
  d = create('text me whenever there are more than 4 bikes at home');
  assert.deepEqual([d.target, d.condition, d.recurring, d.schedule], ['home', { kind: 'count', measure: 'bikes', op: 'atLeast', n: 5 }, true, null]);
  d = create('tell me when Soho Square is full until 6pm');
  assert.deepEqual([d.target, d.condition, d.untilMin], ['soho square', { kind: 'count', measure: 'docks', op: 'below', n: 1 }, 18 * 60]);
  d = create('let me know if Hyde Park Corner runs out of bikes on saturdays and sundays after 5');
  assert.deepEqual([d.target, d.condition, d.schedule], ['hyde park corner', { kind: 'count', measure: 'bikes', op: 'below', n: 1 }, { days: [6, 0], fromMin: 17 * 60, toMin: 1440 }]);
});

test('other alert and my-stations commands', () => {
  assert.deepEqual(parseAlertCommand('stop alerts'), { kind: 'cancel', which: 'all' });
  assert.deepEqual(parseAlertCommand('My alerts'), { kind: 'list' });
  assert.deepEqual(parseAlertCommand('cancel 2'), { kind: 'cancel', which: { no: 2 } });
  assert.deepEqual(parseAlertCommand('cancel alert #3'), { kind: 'cancel', which: { no: 3 } });
  assert.deepEqual(parseAlertCommand('cancel the Waterloo alert'), { kind: 'cancel', which: { name: 'waterloo' } });
  assert.deepEqual(parseAlertCommand('save this as home'), { kind: 'save_place', name: 'home', target: null });
  assert.deepEqual(parseAlertCommand('work is Waterloo 3'), { kind: 'save_place', name: 'work', target: 'waterloo 3' });
  assert.deepEqual(parseAlertCommand('my stations'), { kind: 'my_stations' });
  assert.deepEqual(parseAlertCommand('my commute'), { kind: 'commute' });
  assert.deepEqual(parseAlertCommand('Forget me'), { kind: 'forget_me' });
  assert.deepEqual(parseAlertCommand('tell me when'), { kind: 'create_incomplete', missing: 'condition', draft: { condition: undefined, recurring: false, schedule: null, forMinutes: null, untilMin: null, target: undefined } });
  assert.equal(parseAlertCommand('tell me when there are bikes')?.kind, 'create_incomplete');
});

test('ordinary questions are left to the normal understanding', () => {
  for (const q of ['bikes at waterloo', 'where is work', 'tell me a joke', 'any docks near kings cross?', 'stop', 'cancel', 'Home Office', 'what about e-bikes?', 'is Waterloo closed?', 'tell me about Hyde Park']) {
    const c = parseAlertCommand(q);
    assert.equal(c, null, `${q} → ${JSON.stringify(c)}`);
  }
});
