import zed from '../__fixtures__/zed-read.json';
import { ZedFile, actorOf, networksOf, toNetwork, toPort, toSubnet, withoutOmitted } from '../__fixtures__/zed';
import { canSeeNetwork } from '../network/visibility';
import { presentNetwork } from '../network/present';
import { canSeePort } from '../port/visibility';
import { presentPort } from '../port/present';
import { canSeeSubnet } from '../subnet/visibility';
import { presentSubnet } from '../subnet/present';

const file = zed as unknown as ZedFile;
const networks = networksOf(file);
const byId = <T extends { id: string }>(list: T[], id: string) => list.find((x) => x.id === id);
const setupObject = (id: string) => Object.values(file.setup).find((o) => o.id === id)!;

describe('visibility and presentation, against Zed GETs', () => {
  it.each(Object.entries(file.cases))('%s', (_name, c) => {
    const [, kind, id] = c.request.path.split('/');
    const actor = actorOf(c);
    const raw = setupObject(id);
    let visible: boolean;
    let shown: Record<string, unknown>;
    if (kind === 'networks') {
      const n = toNetwork(raw);
      [visible, shown] = [canSeeNetwork(n, actor), presentNetwork(n, actor)];
    } else if (kind === 'subnets') {
      const s = toSubnet(raw);
      [visible, shown] = [canSeeSubnet(s, byId(networks, s.network_id), actor), presentSubnet(s, actor)];
    } else {
      const p = toPort(raw);
      [visible, shown] = [canSeePort(p, byId(networks, p.network_id), actor), presentPort(p, actor)];
    }
    expect(visible).toBe(c.response.status === 200);
    if (visible) {
      const theirs = withoutOmitted(Object.values(c.response.body)[0] as Record<string, unknown>);
      if (kind === 'ports') {
        delete theirs.security_groups; // Zed's default group; security groups come later
        delete shown.security_groups;
      }
      expect(Object.keys(shown)).toEqual(Object.keys(theirs)); // same attributes, same order
      expect(shown).toEqual(theirs);
    }
  });
});
