/**
 * SSML for Lex/Polly: the reply (already written for speech by the dialog when the
 * message was marked voice) escaped inside <speak>, with a short pause between
 * sentences so a list of stations is not read as one breathless run.
 */
export function toSsml(speech: string): string {
  const esc = speech.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
  return `<speak>${esc.replace(/([.?!])\s+(?=\S)/g, '$1 <break time="300ms"/> ')}</speak>`;
}

/** Does the reply already name every option (as written, or as the speech rendering would say it)? */
export function listsAllOptions(reply: string, options: ReadonlyArray<{ name: string }>, speak?: (t: string) => string): boolean {
  return options.every((o) => reply.includes(o.name) || (speak !== undefined && reply.includes(speak(o.name))));
}
