import { execFileSync, spawnSync } from 'node:child_process';
import { TxChecksums } from './tx-checksums';

// A namespace of its own with a veth pair: the offload is turned off once, a second pass changes
// nothing, a recreated device (new ifindex) is looked at again. Needs root and ethtool.
const isRoot = process.getuid?.() === 0;
const hasEthtool = spawnSync('sh', ['-c', 'command -v ethtool || test -x /usr/sbin/ethtool']).status === 0;
const NS = `ntxc-${process.pid}`;
const sh = (...argv: string[]) => execFileSync(argv[0], argv.slice(1), { encoding: 'utf8' });
const txOf = (dev: string) => /^tx-checksumming: (on|off)/m.exec(sh('ip', 'netns', 'exec', NS, 'ethtool', '-k', dev))?.[1];

(isRoot && hasEthtool ? describe : describe.skip)('TxChecksums (root, a namespace of its own)', () => {
  beforeAll(() => {
    sh('ip', 'netns', 'add', NS);
    sh('ip', '-n', NS, 'link', 'add', 'qvbtest', 'type', 'veth', 'peer', 'name', 'qvotest');
  });
  afterAll(() => {
    spawnSync('ip', ['netns', 'del', NS]);
  });

  it('turns tx checksumming off where it is on, then finds nothing to do; a recreated device is checked again', async () => {
    expect(txOf('qvbtest')).toBe('on');
    const tx = new TxChecksums(NS);
    expect(await tx.reconcile(['qvbtest', 'missing0'])).toBe(1);
    expect(txOf('qvbtest')).toBe('off');
    expect(txOf('qvotest')).toBe('on'); // only the devices given
    expect(await tx.reconcile(['qvbtest'])).toBe(0);
    // a fresh agent observes: off already, nothing to change
    expect(await new TxChecksums(NS).reconcile(['qvbtest'])).toBe(0);
    sh('ip', '-n', NS, 'link', 'del', 'qvbtest');
    sh('ip', '-n', NS, 'link', 'add', 'qvbtest', 'type', 'veth', 'peer', 'name', 'qvotest');
    expect(await tx.reconcile(['qvbtest'])).toBe(1);
    expect(txOf('qvbtest')).toBe('off');
  });
});
