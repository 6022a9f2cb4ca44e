import { execFileSync, spawnSync } from 'node:child_process';
import { TxChecksums } from './tx-checksums';

// A host namespace of its own with a veth pair, and a second namespace (a qdhcp- of sorts) holding
// the other end of another pair: the offload is turned off once, a second pass changes nothing, a
// recreated device (new ifindex) is looked at again, a missing namespace is skipped. Root + ethtool.
const isRoot = process.getuid?.() === 0;
const hasEthtool = spawnSync('sh', ['-c', 'command -v ethtool || test -x /usr/sbin/ethtool']).status === 0;
const NS = `ntxc-${process.pid}`;
const NS2 = `ntxc-${process.pid}-q`;
const sh = (...argv: string[]) => execFileSync(argv[0], argv.slice(1), { encoding: 'utf8' });
const txOf = (ns: string, dev: string) => /^tx-checksumming: (on|off)/m.exec(sh('ip', 'netns', 'exec', ns, 'ethtool', '-k', dev))?.[1];
const host = (name: string) => ({ netns: '', name });

(isRoot && hasEthtool ? describe : describe.skip)('TxChecksums (root, namespaces of its own)', () => {
  beforeAll(() => {
    sh('ip', 'netns', 'add', NS);
    sh('ip', 'netns', 'add', NS2);
    sh('ip', '-n', NS, 'link', 'add', 'qvbtest', 'type', 'veth', 'peer', 'name', 'qvotest');
    sh('ip', '-n', NS, 'link', 'add', 'taptest', 'type', 'veth', 'peer', 'name', 'ns-test', 'netns', NS2);
  });
  afterAll(() => {
    spawnSync('ip', ['netns', 'del', NS]);
    spawnSync('ip', ['netns', 'del', NS2]);
  });

  it('turns tx checksumming off where it is on, then finds nothing to do; a recreated device is checked again', async () => {
    expect(txOf(NS, 'qvbtest')).toBe('on');
    const tx = new TxChecksums(NS);
    expect(await tx.reconcile([host('qvbtest'), host('missing0')])).toBe(1);
    expect(txOf(NS, 'qvbtest')).toBe('off');
    expect(txOf(NS, 'qvotest')).toBe('on'); // only the devices given
    expect(await tx.reconcile([host('qvbtest')])).toBe(0);
    // a fresh agent observes: off already, nothing to change
    expect(await new TxChecksums(NS).reconcile([host('qvbtest')])).toBe(0);
    sh('ip', '-n', NS, 'link', 'del', 'qvbtest');
    sh('ip', '-n', NS, 'link', 'add', 'qvbtest', 'type', 'veth', 'peer', 'name', 'qvotest');
    expect(await tx.reconcile([host('qvbtest')])).toBe(1);
    expect(txOf(NS, 'qvbtest')).toBe('off');
  });

  it('reaches the namespace end of a veth in another namespace; a namespace that does not exist yet is skipped', async () => {
    const tx = new TxChecksums(NS);
    expect(await tx.reconcile([{ netns: NS2, name: 'ns-test' }, { netns: `${NS}-nothere`, name: 'ns-x' }])).toBe(1);
    expect(txOf(NS2, 'ns-test')).toBe('off');
    expect(txOf(NS, 'taptest')).toBe('on');
    expect(await tx.reconcile([{ netns: NS2, name: 'ns-test' }])).toBe(0);
  });
});
