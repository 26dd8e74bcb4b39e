import { shortName } from '../dialog/replies/format.js';

/**
 * SSML for Lex/Polly: the reply (already written for speech by the dialog when the
 * message was marked voice) escaped inside <speak>, with a short pause between
 * sentences so a list of stations is not read as one breathless run.
 */
export function toSsml(speech: string): string {
  const esc = speech.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
  return `<speak>${esc.replace(/([.?!])\s+(?=\S)/g, '$1 <break time="300ms"/> ')}</speak>`;
}

/**
 * Does the reply already name every option — as written, in the tighter form the
 * dialog falls back to when a list must fit an SMS (the name without its area), or
 * as the speech rendering would say either? Listing them again would say it all
 * twice and push the reply past its two segments.
 */
export function listsAllOptions(reply: string, options: ReadonlyArray<{ name: string }>, speak?: (t: string) => string): boolean {
  // A reply numbered "1) … 2) …" as far as the options go (spoken: "Option one: …") is the
  // dialog's own list of them, with names shortened to fit or not.
  const numbered = (i: number): boolean => new RegExp(`(^|\\n)${i + 1}\\) \\S`).test(reply) || (speak !== undefined && reply.includes(speak(`${i + 1}) x`).replace(/ x$/, '')));
  if (options.length > 0 && options.every((_, i) => numbered(i))) return true;
  return options.every((o) => {
    const forms = [o.name, shortName(o.name)].filter((f) => f.trim().length > 0);
    return forms.some((f) => reply.includes(f) || (speak !== undefined && reply.includes(speak(f))));
  });
}

/**
 * The reply, with the options read out numbered after it when it does not already name
 * them all, and how to answer. Spoken (`speak` given), "1) " is read "Option one:", as
 * in the dialog's own lists, and the caller is asked to say the number or the name.
 */
export function withOptionList(reply: string, options: ReadonlyArray<{ name: string }>, speak?: (t: string) => string): string {
  if (options.length === 0 || listsAllOptions(reply, options, speak)) return reply;
  const ask = speak ? 'Say the number or the name.' : 'Reply with a number.';
  return reply + '\n' + options.map((o, i) => `${i + 1}) ${o.name}.`).join('\n') + '\n' + ask;
}
