/** An instance as the metadata service knows it (what Nova's database would hold). */
export interface InstanceRecord {
  /** The instance id: its ports' device_id. */
  id: string;
  name: string;
  project_id: string;
  /** Default: the name. */
  hostname?: string;
  availability_zone?: string;
  launch_index?: number;
  /** Key-pair name → public key. */
  public_keys?: Record<string, string>;
  /** As given at boot (plain text; Nova takes it base64-encoded). */
  user_data?: string;
  /** Its fixed IPv4 addresses, first one = local-ipv4. */
  fixed_ips?: string[];
  created_at?: string;
}

/** On evt.instance.<id>. */
export interface InstanceEventData {
  'instance.registered': { instance: InstanceRecord };
  'instance.deleted': { instance_id: string };
}

export type InstanceEventType = keyof InstanceEventData;

export function evolveInstance(view: InstanceRecord | undefined, e: { type: string; data: unknown }): InstanceRecord | undefined {
  switch (e.type) {
    case 'instance.registered':
      return structuredClone((e.data as InstanceEventData['instance.registered']).instance);
    case 'instance.deleted':
      return undefined;
    default:
      return view;
  }
}
