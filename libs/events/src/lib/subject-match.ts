/** Whether a subject matches a NATS filter ('*' one token, '>' the rest). */
export function subjectMatches(filter: string | undefined, subject: string): boolean {
  if (!filter || filter === '>') return true;
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '>') return s.length > i;
    if (i >= s.length || (f[i] !== '*' && f[i] !== s[i])) return false;
  }
  return f.length === s.length;
}
