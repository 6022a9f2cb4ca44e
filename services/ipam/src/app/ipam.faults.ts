import type { IpamFault } from '@neutrino/contracts';

/** Neutron's errors for allocations, with Zed's wording. */
export const faults = {
  ipExhausted: (network: string): IpamFault => ({ status: 409, type: 'IpAddressGenerationFailure', message: `No more IP addresses available on network ${network}.` }),
  ipTaken: (ip: string, subnet: string): IpamFault => ({ status: 409, type: 'IpAddressAlreadyAllocated', message: `IP address ${ip} already allocated in subnet ${subnet}` }),
  macTaken: (network: string, mac: string): IpamFault => ({ status: 409, type: 'MacAddressInUse', message: `Unable to complete operation for network ${network}. The mac address ${mac} is in use.` }),
  macExhausted: (network: string): IpamFault => ({ status: 409, type: 'MacAddressGenerationFailure', message: `Unable to generate unique mac on network ${network}.` }),
  vlanTaken: (id: number, physnet: string): IpamFault => ({ status: 409, type: 'VlanIdInUse', message: `Unable to create the network. The VLAN ${id} on physical network ${physnet} is in use.` }),
  tunnelTaken: (id: number): IpamFault => ({ status: 409, type: 'TunnelIdInUse', message: `Unable to create the network. The tunnel ID ${id} is in use.` }),
  flatTaken: (physnet: string): IpamFault => ({ status: 409, type: 'FlatNetworkInUse', message: `Unable to create the flat network. Physical network ${physnet} is in use.` }),
  noNetwork: (): IpamFault => ({ status: 503, type: 'NoNetworkAvailable', message: 'Unable to create the network. No tenant network is available for allocation.' }),
  unknownSubnet: (subnet: string): IpamFault => ({ status: 404, type: 'SubnetNotFound', message: `Subnet ${subnet} could not be found.` }),
};

/** Thrown inside ipam; the transport sends it to the caller as-is. */
export class IpamError extends Error {
  constructor(readonly fault: IpamFault) {
    super(fault.message);
  }
}
