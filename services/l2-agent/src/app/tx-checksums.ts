import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Keeps transmit checksum offload off on the given devices of a host (`ethtool -K <dev> tx off`),
 * by observe and diff: `ip -j link` once per call, `ethtool -k` only for a device not seen yet
 * under its current ifindex (a recreated device is looked at again), `ethtool -K` only where the
 * offload is on. The openvswitch mechanism uses it on the netdev datapath for the qvb end of
 * every hybrid plug: a frame a namespace sends (an instance, dnsmasq in qdhcp-, a router's
 * qr-/qg-) carries an unfinished checksum across its veth and qbr, and OVS reads qvo through
 * AF_PACKET, where it stays unfinished — OVS would forward, and tunnel, a checksum the receiver
 * rejects. Leaving qbr by a qvb without the offload, the kernel finishes it.
 */
export class TxChecksums {
  private readonly done = new Map<string, number>(); // device → the ifindex it was checked under

  constructor(private readonly hostNetns: string) {}

  /** How many devices had their offload turned off (0 when all were off already). */
  async reconcile(devices: string[]): Promise<number> {
    const wanted = new Set(devices);
    for (const d of [...this.done.keys()]) if (!wanted.has(d)) this.done.delete(d);
    if (!devices.length) return 0;
    const index = await this.ifindexes();
    let changes = 0;
    for (const dev of devices) {
      const ifindex = index.get(dev);
      if (ifindex === undefined || this.done.get(dev) === ifindex) continue;
      const features = await this.exec(['ethtool', '-k', dev]);
      if (/^tx-checksumming: on/m.test(features)) {
        await this.exec(['ethtool', '-K', dev, 'tx', 'off']);
        changes++;
      }
      this.done.set(dev, ifindex);
    }
    return changes;
  }

  private async ifindexes(): Promise<Map<string, number>> {
    const links = JSON.parse(await this.exec(['ip', '-j', 'link', 'show'])) as Array<{ ifname: string; ifindex: number }>;
    return new Map(links.map((l) => [l.ifname, l.ifindex]));
  }

  private async exec(argv: string[]): Promise<string> {
    const [cmd, ...args] = this.hostNetns ? ['ip', 'netns', 'exec', this.hostNetns, ...argv] : argv;
    return (await run(cmd, args, { maxBuffer: 64 * 1024 * 1024 })).stdout;
  }
}
