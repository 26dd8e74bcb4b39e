import { test } from 'node:test';
import assert from 'node:assert/strict';
import { understand } from '../../src/domain/understand/understand.js';
import { IntentModel } from '../../src/domain/understand/intent-model.js';
import { INTENT_WEIGHTS } from '../../src/domain/understand/intent-weights.js';
import { correctionOf } from '../../src/domain/understand/correction.js';
import { socialWithAside } from '../../src/domain/understand/intents.js';

const model = new IntentModel(INTENT_WEIGHTS);
const read = (text: string) => understand(text, { model, systemNames: ['Santander Cycles', 'london'] });
/** Each text read as the intent beside it (the text names a failing case). */
function expectIntents(cases: ReadonlyArray<readonly [string, string]>): void {
  for (const [text, intent] of cases) assert.equal(read(text).intent, intent, text);
}

test('errands only the operator can run are said so: a change to the account, an action on a hire, lost property', () => {
  const cases: Array<[string, 'account' | 'hire' | 'lost_property']> = [
    ['update my card details', 'account'],
    ['how do I change the email address on my account', 'account'],
    ['delete my account', 'account'],
    ['cancel my annual membership', 'account'],
    ['I want to cancel my annual membership and stop it auto renewing', 'account'],
    ['sign me up for annual membership please', 'account'],
    ['add my friend to my account so she can ride too', 'account'],
    ['email me my full ride history', 'account'],
    ['reset my password for me', 'account'],
    ['change my payment method', 'account'],
    ['unlock bike 40213 for me please', 'hire'],
    ['cancel my hire', 'hire'],
    ['can you hold a bike for me for 10 mins', 'hire'],
    ['pay for my ride with my card ending 4432', 'hire'],
    ['I left my phone in the basket of a bike, has anyone handed it in?', 'lost_property'],
    ['lost my sunglasses on a bike yesterday', 'lost_property'],
    ["found someone's wallet in a bike basket what do i do with it", 'lost_property'],
    ['is there a lost property office', 'lost_property'],
  ];
  for (const [text, kind] of cases) {
    const u = read(text);
    assert.equal(u.intent, 'unknown', text);
    assert.equal(u.cantDo, kind, text);
    // Said outright: no model overrules it (arbitrate.ts).
    assert.equal(u.explicit, true, text);
  }
});

test('faults, charges and prices of the account stay what they are; asks for stations stay ours', () => {
  const cases: Array<[string, string]> = [
    ["can't log into my account", 'problem'],
    ['my card keeps getting declined at the terminal', 'problem'],
    ["I've been charged twice for one ride", 'problem'],
    ['refund please, bike was faulty', 'problem'],
    ['lost my bike', 'problem'],
    ['how much to cancel membership', 'prices'],
    ['can i get a refund if i cancel my membership early', 'prices'],
    ['can i pay for my ride with contactless', 'prices'],
    ['hold on any bikes at waterloo', 'station_status'],
    ['left my phone at home, where is the nearest bike', 'nearest'],
    ['bikes at kings cross, i left my wallet at home', 'station_status'],
    ["can't reset my password", 'problem'],
  ];
  for (const [text, intent] of cases) {
    const u = read(text);
    assert.equal(u.intent, intent, text);
    assert.equal(u.cantDo, undefined, text);
  }
});

test('questions about cycling rather than for a bike: routes, safety, rules of use, jobs', () => {
  for (const text of [
    'is it safe to cycle down Oxford Street at night',
    'is cycling in london safe',
    'is there a bike lane on Oxford Street',
    "what's the cycle superhighway route along the Embankment",
    'best bike route along the canal to Victoria Park?',
    'how long would it take to cycle to greenwich',
    'do I need a helmet',
    'how old do you have to be to hire one',
    "what's the minimum age to hire a bike",
    'can I take my dog on one of the bikes',
    'can I take one of the bikes on the train',
    'can I hire a tandem',
    'any job vacancies at santander cycles',
    'how do Forest e-bikes work',
    'can kids use the bikes',
    'can i get a bike with a child seat',
    'how heavy are the bikes',
    'I want to work for santander cycles',
  ]) {
    const u = read(text);
    assert.equal(u.intent, 'unknown', text);
    assert.equal(u.explicit, true, text);
  }
  // A fault said with a safety word is a fault; a price, a price; a count of ours asked alongside, ours.
  assert.equal(read('the brakes feel really loose on this bike is that safe').intent, 'problem');
  assert.equal(read('does the price include a helmet').intent, 'prices');
  assert.equal(read('is it free for kids').intent, 'prices');
  assert.equal(read('the e bike battery died mid ride and now its super heavy').intent, 'problem');
  // "weigh" is how a recogniser writes "way": no question about weight.
  assert.equal(read('richmond weigh bikes').intent, 'station_status');
  assert.equal(read('any free docks near the cycle superhighway').intent, 'nearest');
  assert.equal(read('bikes at brick lane').intent, 'station_status');
  assert.equal(read('bikes at isle of dogs').intent, 'station_status');
});

test('a price asked of a bike at a place is a price question; a hello to the scheme by name is a hello', () => {
  assert.equal(read('how much is a bike at waterloo').intent, 'prices');
  assert.equal(read('what does a bike cost at hyde park corner').intent, 'prices');
  assert.equal(read('Hello Santander Cycles').intent, 'greeting');
  assert.equal(read('thanks santander cycles').intent, 'thanks');
  assert.equal(read('use my location and find me a bike').intent, 'nearest');
  assert.equal(read("charged £10 for a 20 min ride, that's not right").intent, 'problem');
  // Being charged, said as the reason a dock is wanted, asks no price and names nothing.
  for (const text of ["Where's the nearest free dock? I'm about to be charged", "I'm about to be charged, where's the nearest free dock"]) {
    const u = read(text);
    assert.equal(u.intent, 'nearest', text);
    assert.equal(u.subject, null, text);
  }
  assert.equal(read("how much's the annual sub these days").intent, 'prices');
});

test('"I mean X": the question asked, about what was meant', () => {
  assert.deepEqual(correctionOf('Is there a bike at ${station}? I mean New Cavendish Street, sorry, my shortcut broke'), { question: 'Is there a bike at ${station}?', meant: 'New Cavendish Street' });
  // Not a correction: how one is meant to use it, or "I mean" with nothing before.
  assert.equal(correctionOf('what am i meant to type'), null);
  assert.equal(correctionOf('I mean, are there any bikes at Waterloo'), null);
  const u = read('Is there a bike at ${station}? I mean New Cavendish Street, sorry, my shortcut broke');
  assert.equal(u.intent, 'station_status');
  assert.equal(u.subject, 'new cavendish street');
  assert.equal(u.want, 'bikes');
  const docks = read('bikes at waterloo station 3, sorry I meant docks');
  assert.equal(docks.subject, 'waterloo station 3');
  assert.equal(docks.want, 'docks');
  assert.equal(read('any docks at soho square, no i mean golden square').subject, 'golden square');
  assert.equal(read('what am i meant to type').intent, 'help');
});

test('sign-offs are thanks, another way home is a call-off, and rules of the road are not ours', () => {
  // Goodbyes as people type them end the chat the way thanks do.
  for (const text of ['bye now', 'ok cheers laters', 'goodbye', 'see ya', 'ta ra then', 'thanks, speak soon', 'cya']) assert.equal(read(text).intent, 'thanks', text);
  // "don't worry" shortened, or the person has found another way.
  for (const text of ['dw sorted it', 'its fine ill just walk', 'nah ill get the bus', 'found one, ta', 'never mind, ill sort it myself']) assert.equal(read(text).intent, 'cancel', text);
  // Speed, passengers, drink, the pavement: about cycling, said outright (no model overrules it).
  for (const text of ['whats the speed limit for bikes', 'can 2 people go on one bike', 'can i give my mate a croggy', 'can i ride after a few pints', 'is it ok to ride on the pavement', 'can i wear headphones while cycling']) {
    const u = read(text);
    assert.deepEqual([u.intent, u.explicit], ['unknown', true], text);
  }
  // Standing on the pavement asks for a dock all the same; so does a bike count asked with a rule word.
  assert.equal(read("I'm standing on the pavement with my bags, is there a bike station nearby").intent, 'nearest');
  assert.equal(read('any bikes at speed limit corner').intent, 'station_status');
});

test('"round" is around, and "closest to X" leaves the dock unsaid', () => {
  const u = read('bikes round brick lane?');
  assert.deepEqual([u.intent, u.subject, u.near], ['nearest', 'brick lane', true]);
  // What is closest is not said: to this bot, a dock; "the nearest pub to me" says what it wants.
  assert.equal(read('closest to victoria coach station').intent, 'nearest');
  assert.equal(read('where is the nearest pub to me').intent, 'unknown');
});

test('a social first clause with only the person\'s circumstances after it is the message; a name or a request after it is read', () => {
  const cases: Array<[string, string]> = [
    ["I don't need it now, train's here", 'cancel'],
    ["oh wait cancel, my mate's got me a lift", 'cancel'],
    ['Greetings from a tourist!', 'greeting'],
    ["G'morning from Sydney, well, from Paddington actually", 'greeting'],
    ["Hi, I'm on my way to work and just wanted to check you're there", 'greeting'],
    ["cheers - I've got one now", 'thanks'],
    ["That won't be necessary any longer.", 'cancel'],
    ['Abandon that one please', 'cancel'],
    ['hi, quick one', 'greeting'],
  ];
  expectIntents(cases);
  // A name after the thanks says nothing about the person: not this rule's to settle.
  assert.equal(socialWithAside('thanks, waterloo 3', ['thanks', 'waterloo', '3']), null);
  assert.equal(read('hello, any bikes at tooley street').subject, 'tooley street');
  assert.equal(socialWithAside("no thanks, I'm at the British Museum now", []), null);
  // A name in the rest is what is asked about, capitalised or with its street word.
  assert.equal(read("hiya, it's Tooley Street I'm after").subject, 'tooley street after');
  assert.equal(socialWithAside('hiya, its tooley street im after', []), null);
  assert.equal(read('stop, im being charged twice').intent, 'problem');
});

test('polite asks to reserve or hold a bike, and what a bot is for, are read through their preamble', () => {
  for (const text of ['Would it be possible to reserve two bicycles for Saturday morning', 'I was wondering if you could hold a bike for me for an hour', 'is there a way to book a bike']) {
    assert.equal(read(text).cantDo, 'hire', text);
  }
  for (const text of ['are you any use for the bikes', 'what do you do for santander bikes']) assert.equal(read(text).intent, 'help', text);
  // A bike asked for is still asked for.
  assert.equal(read('can you find me a bike near euston').intent, 'nearest');
  assert.equal(read('nearest one to Buckingham Palace').intent, 'nearest');
  for (const text of ['Is cycling on Oxford Street allowed?', 'Is there a guided cycling tour of London I could join?']) assert.equal(read(text).intent, 'unknown', text);
});

test('closings with thanks are thanks, a call-off said last or first, chit-chat and other tasks are read as such', () => {
  const cases: Array<[string, string]> = [
    ["ok that's all, thanks", 'thanks'],
    ["that's all i needed, bye", 'thanks'],
    ["erm no that's it, bye", 'cancel'],
    ["its fine we'll get an uber. cancel", 'cancel'],
    ["I think I'll leave it for now, thank you.", 'cancel'],
    ['nothing, sorry', 'cancel'],
    ['forget what I ask', 'cancel'],
    ["it's ok, I am sorted now", 'cancel'],
    ['bike is making strange noise, very loud', 'problem'],
    ['do you like Arsenal or Chelsea', 'unknown'],
    ["translate 'bicycle' to Spanish", 'unknown'],
    ['are the bikes cleaned because of covid?', 'unknown'],
    ['bored. talk to me', 'unknown'],
    ['is the Thames path open by Putney', 'unknown'],
    ['Hello, is this the Santander bikes chat?', 'greeting'],
  ];
  expectIntents(cases);
  // The words of these rules still leave our questions alone.
  assert.equal(read('bikes near arsenal').intent, 'nearest');
  assert.equal(socialWithAside('we are at waterloo, thanks', ['we', 'are', 'at', 'waterloo', 'thanks']), null);
});

test('receipts asked for are the account\'s; a complaint about someone, not a bike, is none of ours; where a belonging was lost is no nearest', () => {
  for (const text of ['could you email me an invoice for my hires', 'where do I download VAT receipts', 'I need copies of my receipts for work']) {
    const u = read(text);
    assert.equal(u.intent, 'unknown', text);
    assert.equal(u.cantDo, 'account', text);
  }
  for (const text of ['I would like to make a complaint about one of your employees', 'who do I complain to about a taxi that cut me up', 'complaint about a cyclist riding on the pavement']) {
    assert.equal(read(text).intent, 'unknown', text);
  }
  // About a bike, a dock or a charge it stays the fault it is.
  assert.equal(read('I want to complain about a bike with no brakes').intent, 'problem');
  assert.equal(read('complaint about a charge on my card').intent, 'problem');
  assert.equal(read('how much is a receipt').intent, 'prices');
  const lost = read('dropped my keys next to the docking station');
  assert.equal(lost.intent, 'unknown');
  assert.equal(lost.cantDo, 'lost_property');
  // Asked for, the nearest stays.
  assert.equal(read('lost my purse, where is the nearest bike').intent, 'nearest');
});

test('the person needs nothing more: found one, sorted, will walk, not bothered, another time', () => {
  for (const text of ['nah its ok i got a bike now', 'we found a space already', "I'll figure it out myself, bye", 'ill just get the tube instead', "we're all good now", 'not fussed anymore', "that'll do", 'maybe another time']) {
    assert.equal(read(text).intent, 'cancel', text);
  }
  // With thanks it is thanks; with a hello, a hello; with a name, a question.
  assert.equal(read('thank you so much, we found a space').intent, 'thanks');
  assert.equal(read('hello, im good, how are you').intent, 'greeting');
  assert.equal(read('found one at Cromer Street, any docks at Tooley Street').intent, 'station_status');
  // Places to eat are not dock places; a price question of time words stands against the model.
  assert.equal(read('any nice pizza places near Sail Street').intent, 'unknown');
  assert.equal(read('any places left at Sail Street').intent, 'station_status');
  assert.equal(read('what is the fee if you exceed the time limit').intent, 'prices');
});

test('another city, the whole scheme counted, how someone behaved, something else asked for: none of ours', () => {
  for (const text of [
    'do you lot run bikes in glasgow as well',
    'is there anything like this in amsterdam',
    'how many bikes does the whole network have',
    'how many docking stations are there across London',
    'the man at the docking station was really aggressive',
    'any public toilets near the docking station on the strand',
    'where is the nearest cashpoint to the bikes at waterloo',
    'are the bikes serviced often',
  ]) {
    assert.equal(read(text).intent, 'unknown', text);
  }
  // A London name that is also a city's elsewhere, a count at a dock, and bikes near a thing stay ours.
  assert.equal(read('bikes at liverpool street').intent, 'station_status');
  assert.equal(read('how many bikes at hyde park corner in total').intent, 'station_status');
  assert.equal(read('any bikes near the cinema').intent, 'nearest');
});

test("the scheme's figures, more docks asked of the operator and a plainly English question are none of ours", () => {
  for (const text of ['how many riders use santander cycles a year', 'you should build more docks in hackney', 'could you install a new docking station on my road', 'when was the bike scheme first launched']) {
    assert.equal(read(text).intent, 'unknown', text);
  }
  // Getting a bike, or putting one back, is asked for all the same.
  assert.equal(read('where can i get a bike').intent, 'nearest');
  assert.equal(read('can i get a bike at waterloo').subject, 'waterloo');
  // A count of rides priced is a price question.
  assert.equal(read('how many rides do I get for the price of a day pass').intent, 'prices');
});

test('a near question said with a preamble finds its place; giving up outranks a thanks; ages and directions are rules', () => {
  const near: Array<[string, string]> = [
    ['I was wondering whether you could tell me where the nearest docking station to the British Museum might be?', 'british museum'],
    ['Would you be so kind as to direct me to the closest bike rack to Buckingham Palace?', 'buckingham palace'],
    ["we're at the Science Museum, nearest bikes?", 'science museum'],
    ['Where is the nearest cycle hire to the Natural History Museum', 'natural history museum'],
  ];
  for (const [text, subject] of near) assert.deepEqual([read(text).intent, read(text).subject], ['nearest', subject], text);
  // "ride history" is the account's records; the Natural History Museum is a place.
  assert.equal(read('where can i see my ride history').cantDo, 'account');
  const social: Array<[string, string]> = [
    ['I no longer require assistance, thank you.', 'cancel'],
    ["Thank you, but I'll leave it for today.", 'cancel'],
    ["Sorry, I've changed my mind, we're going to take a taxi instead", 'cancel'],
    ["I'm most grateful for your assistance. Good day.", 'thanks'],
    ['thanks!! my daughter found one', 'thanks'],
  ];
  expectIntents(social);
  for (const text of ["Can I use the bikes if I'm fifteen?", 'Could you possibly tell me how to get to Windsor Castle by train']) assert.deepEqual([read(text).intent, read(text).explicit], ['unknown', true], text);
  assert.equal(read('how do i get to the nearest dock').intent, 'nearest');
});

test('a charge reported is not small talk; "nearest to X" is a dock near X; "sorted it" with thanks is thanks', () => {
  const cases: Array<[string, string]> = [
    ["charged £10 for a 20 min ride?? that's wrong", 'problem'],
    ['nearest to the London Eye', 'nearest'],
    ['thanks that sorted it', 'thanks'],
    ['dw sorted it', 'cancel'],
    ["nah you're alright", 'cancel'],
    // A call-off said with it is heard: the report was the person's own mistake.
    ["no no that's wrong ignore me", 'cancel'],
    ["you alright?", 'greeting'],
  ];
  expectIntents(cases);
  assert.equal(read('nearest to the London Eye').subject, 'london eye');
});

test('a hello that checks who answers is the hello; what the bot can do, asked with a hello, is help; bus lanes are rules', () => {
  const cases: Array<[string, string]> = [
    ['Hi, is this the Santander bikes chat?', 'greeting'],
    ['hello, are you a real person?', 'greeting'],
    ['hello, what can you do?', 'help'],
    ['can i cycle in the bus lane', 'unknown'],
    ['are bus lanes ok to cycle in', 'unknown'],
    ['never mind, kids want to walk', 'cancel'],
  ];
  expectIntents(cases);
  // A dock asked near one is ours.
  assert.equal(read('any docks near the bus lane on tooley street').intent, 'nearest');
});
