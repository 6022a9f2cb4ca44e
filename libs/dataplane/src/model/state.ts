import type { HostState } from './types';

export function emptyHostState(): HostState {
  return { namespaces: [], links: [], fdb: [], routes: [], sysctls: [], iptables: [], ipsets: [], processes: [], tc: [] };
}

/** A deep copy (the model is plain data). */
export function cloneState(state: HostState): HostState {
  return structuredClone(state);
}

/** Fill in missing lists, so partial literals can be used as state. */
export function hostState(partial: Partial<HostState> = {}): HostState {
  return { ...emptyHostState(), ...partial };
}

/**
 * Concatenate states (e.g. per-port parts of the desired state). Tables with the
 * same identity are merged chain by chain; rules of the same chain are concatenated
 * in argument order. Duplicate objects are not detected here; diff() treats the
 * last one of a key as the desired one.
 */
export function mergeStates(...parts: HostState[]): HostState {
  const out = emptyHostState();
  for (const p of parts) {
    out.namespaces.push(...p.namespaces);
    out.links.push(...p.links);
    out.fdb.push(...p.fdb);
    out.routes.push(...p.routes);
    out.sysctls.push(...p.sysctls);
    out.ipsets.push(...p.ipsets);
    out.processes.push(...p.processes);
    out.tc!.push(...(p.tc ?? []));
    for (const t of p.iptables) {
      const same = out.iptables.find((o) => (o.netns ?? '') === (t.netns ?? '') && o.family === t.family && o.table === t.table);
      if (!same) {
        out.iptables.push({ ...t, chains: t.chains.map((c) => ({ ...c, rules: [...c.rules] })) });
        continue;
      }
      for (const c of t.chains) {
        const chain = same.chains.find((x) => x.name === c.name);
        if (chain) chain.rules.push(...c.rules);
        else same.chains.push({ ...c, rules: [...c.rules] });
      }
    }
  }
  return out;
}
