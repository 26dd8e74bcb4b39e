/**
 * The words the understanding relies on, kept as data so that a reader can see
 * (and extend) the vocabulary without reading the control flow. Entries are in
 * normalised form (see normalise.ts): lower case, no apostrophes, no accents.
 */

export const GREETING = new Set(['hi', 'hello', 'hey', 'heya', 'hiya', 'yo', 'sup', 'wassup', 'whatsup', 'howdy', 'hallo', 'bonjour', 'hola', 'ciao', 'salut', 'ola', 'oi', 'greetings', 'morning', 'evening', 'afternoon', 'gday', 'hej', 'servus', 'moin', 'bonsoir', 'buenas', 'buonasera', 'buongiorno', 'hallochen', 'gruezi', 'namaste', 'salaam', 'shalom', 'privet', 'nihao', 'konnichiwa', 'ahoj', 'hei', 'hoi', 'hiii', 'heyy']);
export const GREETING_PHRASES = ['guten morgen', 'guten abend', 'good day', 'good morning', 'good afternoon', 'good evening', 'whats up', 'what is up', 'hi there', 'hello there', 'guten tag', 'buenos dias', 'buongiorno'];

export const THANKS = new Set(['thanks', 'thank', 'thx', 'thnx', 'thanx', 'ty', 'tq', 'cheers', 'ta', 'merci', 'danke', 'gracias', 'grazie', 'obrigado', 'obrigada', 'dankeschon', 'tack', 'dank', 'appreciated', 'brilliant', 'great', 'perfect', 'lovely', 'awesome', 'cool', 'nice', 'ok', 'okay', 'k', 'kk', 'fab', 'ace']);
export const THANKS_PHRASES = ['many thanks', 'thank u', 'danke schon', 'grazie mille', 'thank you', 'much appreciated', 'appreciate it', 'appreciate that', 'nice one', 'cheers mate', 'merci beaucoup', 'vielen dank', 'muchas gracias', 'thats great', 'that helps', 'got it'];
/** Words that only count as thanks when they are the whole message ("great" alone, not "great portland st"). */
export const THANKS_ALONE_ONLY = new Set(['brilliant', 'great', 'perfect', 'lovely', 'awesome', 'cool', 'nice', 'ok', 'okay', 'k', 'kk', 'fab', 'ace', 'appreciated']);

export const CANCEL = new Set(['nah', 'end', 'cancel', 'stop', 'abort', 'quit', 'exit', 'nevermind', 'nvm', 'reset', 'restart', 'forget', 'annuler', 'abbrechen', 'stopp', 'nope', 'no']);
/**
 * Words that start again only as the whole message ("new"; "new cross" is a place).
 * Replies suggest "new", never "cancel": CANCEL is a carrier opt-out word on SMS.
 */
export const CANCEL_ALONE = new Set(['new']);
export const CANCEL_PHRASES = ['new question', 'new search', 'start new', 'never mind', 'forget it', 'dont bother', 'do not bother', 'start over', 'start again', 'no thanks', 'no thank you', 'not now', 'leave it', 'scrap that', 'forget that'];

export const HELP = new Set(['options', 'help', 'menu', 'instructions', 'commands', 'usage', 'manual', 'hilfe', 'aide', 'ayuda', 'info', 'guide', 'tutorial', 'faq']);
export const HELP_PHRASES = ['how do i', 'how does this work', 'how does it work', 'what can you do', 'what do you do', 'who are you', 'what are you', 'explain yourself', 'how to use', 'how do you work', 'what can i ask', 'what should i say', 'how can you help', 'talk to you', 'what is this', 'what do i type', 'what do i say', 'what should i type', 'what should i ask'];
export const HELP_RE = /\bhow (does|do|can|should|would) (this|it|you|i|one)( thing| bot| app| service)? (work|use)|\bhow (to|do i) use\b/;
/** Not a question about anything: placeholders, laughter, keyboard mashing. */
export const JUNK = new Set(['null', 'undefined', 'nan', 'none', 'nil', 'test', 'testing', 'lol', 'lmao', 'haha', 'hahaha', 'asdf', 'asdfgh', 'qwerty', 'hmm', 'hm', 'meh', 'idk', 'true', 'false', 'object']);
/** Question words that, with nothing about bikes or places, open a question a bike bot cannot answer. */
export const QUESTION_OPENERS = new Set(['who', 'what', 'whats', 'when', 'why', 'which', 'how', 'whos', 'whose']);
export const THANKS_EMOJI = /^[\s\u{1F44D}\u{1F64F}\u{1F44C}\u{2764}\u{FE0F}\u{1F60A}\u{1F642}\u{1F600}\u{1F389}\u{2705}]+$/u;

/** Asks a bike bot cannot answer: a place mention alone does not make them bike questions. */
export const OFF_TOPIC = new Set(['recommend', 'restaurant', 'restaurants', 'food', 'pizza', 'eat', 'drink', 'pub', 'bar', 'hotel', 'uber', 'taxi', 'cab', 'alarm', 'remind', 'reminder', 'weather', 'rain', 'sunny', 'forecast', 'temperature', 'joke', 'play', 'music', 'song', 'capital', 'president', 'book', 'order', 'buy', 'movie', 'film', 'news', 'email', 'call', 'text', 'timer', 'translate', 'recipe', 'score', 'football', 'stock', 'price']);
export const SQL_WORDS = /\b(select( \w+)? from|drop (table|database)|insert into|delete from|union( all)? select|update \w+ set|truncate table|alter table)\b/;

/** Bike / dock vocabulary: any of these makes a message a bike-share question. */
export const BIKE_WORDS = new Set(['bike', 'bikes', 'bicycle', 'bicycles', 'cycle', 'cycles', 'boris', 'borisbike', 'borisbikes', 'santander', 'hire', 'rent', 'fahrrad', 'fahrrader', 'rad', 'rader', 'velo', 'velos', 'bici', 'bicis', 'bicicleta', 'bicicletas', 'bicicletta', 'biciclette', 'bicyclette', 'bicyclettes', 'fiets', 'fietsen']);
export const EBIKE_WORDS = new Set(['ebike', 'ebikes', 'electric', 'elektro', 'ebicycle', 'pedelec', 'pedelecs', 'eassist']);
export const DOCK_SPACE_WORDS = new Set(['docks', 'spaces', 'space', 'spot', 'spots', 'slot', 'slots', 'room', 'full', 'return', 'returning', 'drop', 'parking', 'stands', 'places', 'bays', 'bay', 'empty', 'vacant', 'vacancies']);
export const DOCK_SPACE_PHRASES = ['drop off', 'drop it off', 'leave my bike', 'leave the bike', 'leave a bike', 'leave bike', 'park my bike', 'park the bike', 'return my bike', 'return the bike', 'return a bike', 'put my bike', 'put the bike', 'dock my bike', 'dock the bike', 'free docks', 'empty docks', 'is it full', 'park at', 'park near', 'park it', 'park up', 'park in'];
/** "dock" singular means the docking station, not space in it ("nearest dock to …"). */
export const STATION_WORDS = new Set(['dock', 'docking', 'station', 'stations', 'bikepoint', 'stand', 'rack']);

/** "I'm at X" with no want: a person standing somewhere without a bike wants one. */
export const HERE_PHRASES = ['im at', 'i am at', 'im in', 'i am in', 'im by', 'im near', 'im outside', 'i am outside'];

export const NEAR_WORDS = new Set(['near', 'nearest', 'closest', 'nearby', 'around', 'close', 'next', 'somewhere', 'anywhere', 'where', 'wheres', 'vicinity', 'surrounding', 'proche', 'nahe', 'cerca']);
export const NEAR_PHRASES = ['im at', 'i am at', 'im in', 'i am in', 'im by', 'im near', 'close to', 'next to', 'near to', 'around here', 'where can i', 'where do i', 'where is', 'in the area'];
/** "bikes in nw8" is nearness; "any bikes in it" is not. */
export const WANT_IN_PLACE = /\b(bikes?|ebikes?|docks?|spaces?) (in|around) (?!(it|there|them|stock|the station|the dock)\b)/;

/** Dropped from a subject wherever they are: they never name a place. */
export const FILLER = new Set([
  'any', 'are', 'there', 'is', 'it', 'its', 'how', 'many', 'much', 'left', 'free', 'available', 'availability', 'at', 'to', 'a', 'an', 'the',
  'near', 'nearest', 'closest', 'nearby', 'around', 'i', 'im', 'am', 'can', 'could', 'would', 'will', 'do', 'does', 'my', 'me', 'please', 'pls', 'plz',
  'check', 'what', 'whats', 'about', 'in', 'on', 'for', 'this', 'morning', 'evening', 'afternoon', 'tonight', 'now', 'right', 'today', 'still',
  'got', 'have', 'has', 'get', 'grab', 'find', 'tell', 'show', 'give', 'need', 'want', 'looking', 'look', 'some', 'somewhere', 'anywhere', 'where', 'wheres',
  'there', 'theres', 'status', 'count', 'counts', 'number', 'of', 'and', 'or', 'so', 'just', 'currently', 'actually', 'yet', 'we', 'you', 'u', 'your',
  'by', 'from', 'with', 'if', 'whether', 'be', 'currently', 'gibt', 'es', 'an', 'der', 'die', 'das', 'am', 'im', 'bei', 'beim', 'zu', 'zum', 'zur',
  'y', 'de', 'la', 'le', 'les', 'du', 'des', 'el', 'en', 'hay', 'il', 'ya', 'pres', 'next', 'close', 'closer', 'go', 'going', 'head', 'heading',
  'know', 'let', 'see', 'want', 'wanna', 'gonna', 'like', 'use', 'take', 'one', 'ones', 'hi', 'hello', 'hey', 'hallo', 'yo', 'ok', 'okay', 'oh', 'um', 'uh', 'er',
  // Question words of the other languages people ask in ("y a-t-il des vélos à …", "¿hay bicis en …?", "ci sono bici a …", "wo gibt es noch Räder …").
  'anything', 'something', 't', 'que', 'quil', 'sont', 'vous', 'avez', 'pour', 'encore', 'libre', 'libres', 'disponible', 'disponibles', 'donde', 'esta', 'estan', 'alguna', 'algunas', 'algun',
  'ci', 'sono', 'ce', 'della', 'delle', 'dei', 'wo', 'ist', 'sind', 'noch', 'frei', 'freie', 'welche', 'haben', 'sie',
]);
/** Dropped only at the edges of a subject ("museum of the home" keeps its "of the"). */
export const EDGE_ONLY = new Set(['of', 'and', 'the', 'in', 'on', 'at', 'a', 'an', 'by', 'one', 'next', 'close', 'right', 'left']);

/** Street-type words: a word just before one of these is part of a name ("Dock Street", "Park Road"). */
export const STREET_TYPES = new Set(['street', 'st', 'road', 'rd', 'lane', 'ln', 'place', 'pl', 'square', 'sq', 'gardens', 'gdns', 'avenue', 'ave', 'walk', 'row', 'terrace', 'terr', 'crescent', 'cres', 'way', 'close', 'grove', 'gate', 'court', 'ct', 'hill', 'yard', 'wharf', 'estate', 'house', 'circus', 'green', 'park', 'bridge']);

export const ORDINALS: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10, last: -1,
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  '1st': 1, '2nd': 2, '3rd': 3, '4th': 4, '5th': 5, '6th': 6, '7th': 7, '8th': 8, '9th': 9,
};
export const NEXT_PHRASES = ['next one', 'next', 'another one', 'another', 'any other', 'any others', 'anything else', 'somewhere else', 'other one', 'other ones', 'further', 'next closest', 'next nearest', 'any more', 'elsewhere', 'the next'];

/** Abbreviations people type that no station name uses ("gt percy st", "upr grosvenor st"). */
export const WORD_ABBREVIATIONS: Record<string, string> = { gt: 'great', grt: 'great', upr: 'upper', lwr: 'lower', lr: 'lower', ch: 'church', chu: 'church', pde: 'parade', mws: 'mews', cl: 'close', dr: 'drive', drv: 'drive', hl: 'hill', wk: 'walk', gr: 'grove', gro: 'grove', emb: 'embankment', cir: 'circus', circ: 'circus', stns: 'station' };
/** "n kensington", "s bank": a single letter before a word. */
export const COMPASS_LETTERS: Record<string, string> = { n: 'north', s: 'south', e: 'east', w: 'west' };
/** "kings x", "charing x". */
export const CROSS_BEFORE = new Set(['kings', 'charing']);
