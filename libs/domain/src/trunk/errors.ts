/** The trunk exceptions of Zed (neutron/services/trunk/exceptions.py), message for message. */
import { NeutronError } from '../errors';

export const trunkErrors = {
  trunkNotFound: (id: string) => new NeutronError(404, 'TrunkNotFound', `Trunk ${id} could not be found.`),
  subPortNotFound: (trunkId: string, portId: string) => new NeutronError(404, 'SubPortNotFound', `SubPort ${portId} on trunk ${trunkId} could not be found.`),
  parentPortInUse: (portId: string) => new NeutronError(409, 'ParentPortInUse', `Port ${portId} is currently in use and is not eligible for use as a parent port.`),
  trunkPortInUse: (portId: string) => new NeutronError(409, 'TrunkPortInUse', `Port ${portId} is in use by another trunk.`),
  duplicateSubPort: (type: string, id: number, trunkId: string) =>
    new NeutronError(409, 'DuplicateSubPort', `segmentation_type ${type} and segmentation_id ${id} already in use on trunk ${trunkId}.`),
  subPortMtuGreaterThanTrunkPortMtu: (portId: string, mtu: number, trunkPortId: string, trunkMtu: number) =>
    new NeutronError(409, 'SubPortMtuGreaterThanTrunkPortMtu', `MTU ${mtu} of subport ${portId} cannot be greater than MTU ${trunkMtu} of trunk ${trunkPortId}.`),
  trunkDisabled: (id: string) => new NeutronError(409, 'TrunkDisabled', `Trunk ${id} is currently disabled.`),
  portInUseAsTrunkParent: (portId: string, trunkId: string) =>
    new NeutronError(409, 'PortInUseAsTrunkParent', `Port ${portId} is currently a parent port for trunk ${trunkId}.`),
  portInUseAsSubPort: (portId: string, trunkId: string) => new NeutronError(409, 'PortInUseAsSubPort', `Port ${portId} is currently a subport for trunk ${trunkId}.`),
};
