import { forgetFip } from './fip-actions';

describe('forgetFip: the conntrack entries of the old mapping, and only those', () => {
  it('deletes inbound flows DNATed to the old fixed IP and outbound ones SNATed from it, in the router namespace; a failure (none found) is not an error', async () => {
    const calls: string[][] = [];
    await forgetFip({ id: 'f', floatingIp: '203.0.113.50', fixedIp: '10.10.1.5', netns: 'qrouter-r', dev: 'qg-x' }, async (argv) => {
      calls.push(argv);
      throw new Error('conntrack: 0 flow entries have been deleted');
    });
    expect(calls).toEqual([
      ['ip', 'netns', 'exec', 'qrouter-r', 'conntrack', '-D', '-f', 'ipv4', '-d', '203.0.113.50', '-r', '10.10.1.5'],
      ['ip', 'netns', 'exec', 'qrouter-r', 'conntrack', '-D', '-f', 'ipv4', '-s', '10.10.1.5', '-q', '203.0.113.50'],
    ]);
  });
});
