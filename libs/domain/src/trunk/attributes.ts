/** The trunk attribute map of Zed (neutron-lib's trunk API definition) and neutron-lib's validate_subports. */
import type { AttrMap } from '../common/attributes';
import { toBoolean } from '../common/converters';
import { pyRepr, pyStr } from '../common/python';
import { DESCRIPTION } from '../common/standard-attrs';
import { isDict, validateString, validateUuid } from '../common/validators';

/**
 * validate_subports: a list of dicts with unique port UUIDs; segmentation given whole (or not at
 * all), unique per type. `inherit` ends the check there, as neutron-lib's loop does.
 */
export function validateSubports(data: unknown): string | undefined {
  if (!Array.isArray(data)) return `Invalid data format for subports: '${pyStr(data)}' is not a list`;
  const ids = new Set<string>();
  const segs = new Map<unknown, unknown[]>();
  for (const sp of data) {
    if (!isDict(sp)) return `Invalid data format for subport: '${pyStr(sp)}' is not a dict`;
    if (!('port_id' in sp)) return 'A valid port UUID must be specified';
    if (validateUuid(sp.port_id)) return `Invalid UUID for subport: '${pyStr(sp.port_id)}'`;
    const portId = sp.port_id as string;
    if (ids.has(portId)) return `Non unique UUID for subport: '${portId}'`;
    ids.add(portId);
    const type = sp.segmentation_type;
    if (type === 'inherit') return undefined;
    const segId = sp.segmentation_id;
    if ((!type || segId === undefined || segId === null) && Object.keys(sp).length > 1)
      return `Invalid subport details '${pyRepr(sp)}': missing segmentation information. Must specify both segmentation_id and segmentation_type`;
    const seen = segs.get(type) ?? [];
    if (segId !== undefined && seen.includes(segId)) return `Segmentation ID '${pyStr(segId)}' for '${portId}' is not unique`;
    if (segId !== undefined && segId !== null) segs.set(type, [...seen, segId]);
  }
  return undefined;
}

export const TRUNK_ATTRS: AttrMap = {
  id: { post: false, put: false },
  tenant_id: { post: true, put: false, validate: (v) => validateString(v, 255) },
  name: { post: true, put: true, default: '', validate: (v) => validateString(v, 255) },
  admin_state_up: { post: true, put: true, default: true, convert: toBoolean },
  status: { post: false, put: false },
  port_id: { post: true, put: false, validate: validateUuid },
  sub_ports: { post: true, put: false, default: [], validate: validateSubports },
  ...DESCRIPTION,
};

/** Zed's list filters of trunks. */
export const TRUNK_FILTERS = new Set([
  'id', 'tenant_id', 'project_id', 'name', 'description', 'admin_state_up', 'port_id', 'status', 'revision_number', 'created_at', 'updated_at',
]);
