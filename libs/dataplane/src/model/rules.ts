import type { IptTableName } from './types';

const BUILTIN: Record<IptTableName, string[]> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  raw: ['PREROUTING', 'OUTPUT'],
};

export const builtinChains = (table: IptTableName): string[] => BUILTIN[table];
export const isBuiltinChain = (table: IptTableName, chain: string): boolean => BUILTIN[table].includes(chain);

/** Split an iptables-save rule into arguments, honouring double quotes and backslash escapes. */
export function tokenizeRule(rule: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inTok = false;
  let quoted = false;
  for (let i = 0; i < rule.length; i++) {
    const ch = rule[i];
    if (ch === '\\' && i + 1 < rule.length) {
      cur += rule[++i];
      inTok = true;
    } else if (ch === '"') {
      quoted = !quoted;
      inTok = true;
    } else if (!quoted && (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\f' || ch === '\v')) {
      if (inTok) out.push(cur);
      cur = '';
      inTok = false;
    } else {
      cur += ch;
      inTok = true;
    }
  }
  if (inTok) out.push(cur);
  return out;
}

const MAC = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i;

/**
 * The comparison form of a rule: arguments unquoted, MACs lower case (iptables-nft
 * prints `--mac-source` in lower case where the legacy backend and the spec use upper).
 */
export const ruleKey = (rule: string): string =>
  tokenizeRule(rule)
    .map((t) => (MAC.test(t) ? t.toLowerCase() : t))
    .join('\u0001');

const argAfter = (rule: string, flags: string[]): string | undefined => {
  const toks = tokenizeRule(rule);
  const i = toks.findIndex((t) => flags.includes(t));
  return i >= 0 ? toks[i + 1] : undefined;
};

/** `-j X` / `-g X` target. */
export const ruleTarget = (rule: string): string | undefined => argAfter(rule, ['-j', '--jump', '-g', '--goto']);
export const ruleComment = (rule: string): string | undefined => argAfter(rule, ['--comment']);

/** Names of ipsets a rule matches on. */
export function ruleSets(rule: string): string[] {
  const toks = tokenizeRule(rule);
  return toks.flatMap((t, i) => (t === '--match-set' && toks[i + 1] ? [toks[i + 1]] : []));
}

/** `-m comment --comment …` as iptables-save prints it (quoted only when needed). */
export function comment(text: string): string {
  if (/["\\]/.test(text)) throw new Error(`iptables comment must not contain quotes or backslashes: ${text}`);
  return `-m comment --comment ${/^[^\s']+$/.test(text) ? text : `"${text}"`}`;
}
