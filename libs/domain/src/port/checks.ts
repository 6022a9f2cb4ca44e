/** Port rules shared by create and update. */
import { neutronError } from '../common/errors';
import { NeutronError } from '../errors';

export const macInUse = (networkId: string, mac: string) =>
  neutronError(409, 'MacAddressInUse', `Unable to complete operation for network ${networkId}. The mac address ${mac} is in use.`);

export const addressPairsNeedPortSecurity = () =>
  neutronError(409, 'AddressPairAndPortSecurityRequired', 'Port Security must be enabled in order to have allowed address pairs on a port.');

export const securityGroupsNeedPortSecurity = () =>
  neutronError(
    400,
    'PortSecurityAndIPRequiredForSecurityGroups',
    'Port security must be enabled and port must have an IP address in order to use security groups.',
  );

export const portHasSecurityGroup = () =>
  neutronError(
    409,
    'PortSecurityPortHasSecurityGroup',
    'Port has security group associated. Cannot disable port security or IP address until security group is removed.',
  );

export const portBound = (portId: string, vifType: string, oldMac: string, newMac: string): NeutronError =>
  neutronError(
    409,
    'PortBound',
    `Unable to complete operation on port ${portId}, port is already bound, port type: ${vifType}, old_mac ${oldMac}, new_mac ${newMac}.`,
  );

/** Address pairs as stored: the MAC defaults to the port's (filled in once the port has one). */
export interface PairRequest {
  ip_address: string;
  mac_address: string | null;
}

export const toPairRequests = (pairs: unknown): PairRequest[] =>
  ((pairs as Array<Record<string, unknown>> | undefined) ?? []).map((p) => ({
    ip_address: p.ip_address as string,
    mac_address: (p.mac_address as string | undefined) ?? null,
  }));
