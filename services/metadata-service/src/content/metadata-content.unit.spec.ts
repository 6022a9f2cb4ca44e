import type { InstanceRecord } from '@neutrino/metadata';
import { metaDataJson, resolveMetadata } from './metadata-content';

const vm: InstanceRecord = { id: '6f1b2c3d-0000-4000-8000-00000000000a', name: 'vm1', project_id: 'p1', user_data: '#!/bin/sh\necho hi\n', public_keys: { mykey: 'ssh-ed25519 AAAA me@here' }, fixed_ips: ['10.0.0.5'] };
const bare: InstanceRecord = { id: 'b', name: 'bare', project_id: 'p1' };
const get = (p: string, r = vm) => resolveMetadata(p, r, '10.0.0.99');

describe('metadata content (Nova-compatible paths)', () => {
  it('openstack/latest/meta_data.json: uuid, name, hostname, project_id, availability_zone, launch_index, public_keys', () => {
    const c = get('/openstack/latest/meta_data.json');
    expect(c).toMatchObject({ status: 200, type: 'application/json' });
    expect(JSON.parse(c.body)).toEqual({
      uuid: vm.id, name: 'vm1', hostname: 'vm1', project_id: 'p1', availability_zone: 'nova', launch_index: 0, meta: {}, devices: [],
      public_keys: { mykey: 'ssh-ed25519 AAAA me@here' }, keys: [{ name: 'mykey', type: 'ssh', data: 'ssh-ed25519 AAAA me@here' }],
    });
    expect(metaDataJson(bare)).not.toHaveProperty('public_keys');
    expect(JSON.parse(get('/openstack/2012-08-10/meta_data.json').body).uuid).toBe(vm.id);
  });

  it('user data as registered, 404 without', () => {
    expect(get('/openstack/latest/user_data')).toMatchObject({ status: 200, body: vm.user_data });
    expect(get('/latest/user-data')).toMatchObject({ status: 200, body: vm.user_data });
    expect(get('/openstack/latest/user_data', bare).status).toBe(404);
    expect(get('/latest/user-data', bare).status).toBe(404);
  });

  it('indexes: versions, openstack/latest, latest, latest/meta-data/', () => {
    expect(get('/').body.split('\n')).toContain('latest');
    expect(get('/openstack').body.split('\n').at(-1)).toBe('latest');
    expect(get('/openstack/latest/').body).toBe('meta_data.json\nuser_data');
    expect(get('/openstack/latest', bare).body).toBe('meta_data.json');
    expect(get('/latest').body).toBe('meta-data/\nuser-data');
    expect(get('/latest/meta-data/').body).toBe('ami-launch-index\nhostname\ninstance-id\nlocal-hostname\nlocal-ipv4\nplacement/\npublic-keys/');
    expect(get('/latest/meta-data', bare).body).not.toContain('public-keys');
  });

  it('EC2 leaves: instance-id, local-ipv4 (the record, else the source address), hostname, keys, placement', () => {
    expect(get('/latest/meta-data/instance-id').body).toBe(vm.id);
    expect(get('/latest/meta-data/local-ipv4').body).toBe('10.0.0.5');
    expect(get('/latest/meta-data/local-ipv4', bare).body).toBe('10.0.0.99');
    expect(get('/2009-04-04/meta-data/hostname').body).toBe('vm1');
    expect(get('/latest/meta-data/public-keys/').body).toBe('0=mykey');
    expect(get('/latest/meta-data/public-keys/0/').body).toBe('openssh-key');
    expect(get('/latest/meta-data/public-keys/0/openssh-key').body).toBe('ssh-ed25519 AAAA me@here');
    expect(get('/latest/meta-data/placement/availability-zone').body).toBe('nova');
  });

  it('anything else is 404', () => {
    for (const p of ['/openstack/1999-01-01/meta_data.json', '/openstack/latest/nope', '/latest/meta-data/nope', '/latest/meta-data/instance-id/x', '/2099-01-01/meta-data/', '/instances', '/latest/nope']) {
      expect(get(p).status).toBe(404);
    }
  });
});
