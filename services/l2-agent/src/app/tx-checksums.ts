import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A device in a namespace ('' = the agent's host namespace). */
export interface NetnsDevice {
  netns: string;
  name: string;
}

/**
 * Keeps transmit checksum offload off on the given devices (`ethtool -K <dev> tx off`), by observe
 * and diff: `ip -j link` once per namespace and call, `ethtool -k` only for a device not seen yet
 * under its current ifindex (a recreated device is looked at again), `ethtool -K` only where the
 * offload is on; a device or namespace that does not exist (yet) is skipped. The openvswitch
 * mechanism uses it on the netdev datapath: a frame a namespace sends over a veth carries an
 * unfinished checksum, and OVS reads the host end through AF_PACKET, where it stays unfinished —
 * OVS would forward, and tunnel, a checksum the receiver rejects. So the qvb end of every hybrid
 * plug (leaving qbr by it, the kernel finishes the checksum) and the namespace end of every DHCP
 * and router port plugged straight into br-int (`ns-…` in qdhcp-, `qr-`/`qg-`/`ha-` in qrouter-)
 * send with the offload off.
 */
export class TxChecksums {
  private readonly done = new Map<string, number>(); // netns/device → the ifindex it was checked under

  constructor(private readonly hostNetns: string) {}

  /** How many devices had their offload turned off (0 when all were off already). */
  async reconcile(devices: NetnsDevice[]): Promise<number> {
    const key = (d: NetnsDevice) => `${d.netns}/${d.name}`;
    const wanted = new Set(devices.map(key));
    for (const k of [...this.done.keys()]) if (!wanted.has(k)) this.done.delete(k);
    const byNetns = new Map<string, string[]>();
    for (const d of devices) byNetns.set(d.netns, [...(byNetns.get(d.netns) ?? []), d.name]);
    let changes = 0;
    for (const [netns, names] of byNetns) {
      const index = await this.ifindexes(netns);
      if (!index) continue;
      for (const name of names) {
        const ifindex = index.get(name);
        const k = key({ netns, name });
        if (ifindex === undefined || this.done.get(k) === ifindex) continue;
        const features = await this.exec(netns, ['ethtool', '-k', name]);
        if (/^tx-checksumming: on/m.test(features)) {
          await this.exec(netns, ['ethtool', '-K', name, 'tx', 'off']);
          changes++;
        }
        this.done.set(k, ifindex);
      }
    }
    return changes;
  }

  /** name → ifindex in the namespace, or null when there is no such namespace (yet). */
  private async ifindexes(netns: string): Promise<Map<string, number> | null> {
    try {
      const links = JSON.parse(await this.exec(netns, ['ip', '-j', 'link', 'show'])) as Array<{ ifname: string; ifindex: number }>;
      return new Map(links.map((l) => [l.ifname, l.ifindex]));
    } catch (err) {
      if (netns) return null;
      throw err;
    }
  }

  private async exec(netns: string, argv: string[]): Promise<string> {
    const ns = netns || this.hostNetns;
    const [cmd, ...args] = ns ? ['ip', 'netns', 'exec', ns, ...argv] : argv;
    return (await run(cmd, args, { maxBuffer: 64 * 1024 * 1024 })).stdout;
  }
}
