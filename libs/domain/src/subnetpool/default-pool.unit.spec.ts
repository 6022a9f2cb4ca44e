import { thrown } from '../__fixtures__/zed';
import { defaultPoolDecider, defaultPoolSubject, evolveDefaultPool, isDefaultPoolSubject } from './default-pool';

describe('one default subnet pool per IP version', () => {
  const claim = (holder: string | null, id: string, stillDefault = (_: string) => true) =>
    defaultPoolDecider.decide({ type: 'ClaimDefaultPool', ip_version: 4, subnetpool_id: id }, { holder, stillDefault });

  it('is claimed on one subject per version; a second claim is refused while the holder is still the default', () => {
    expect(defaultPoolSubject(4)).not.toBe(defaultPoolSubject(6));
    expect([isDefaultPoolSubject(defaultPoolSubject(6)), isDefaultPoolSubject('x')]).toEqual([6, undefined]);
    const events = claim(null, 'a');
    expect(events).toEqual([{ type: 'subnetpool.default_claimed', data: { ip_version: 4, subnetpool_id: 'a' } }]);
    const holder = events.reduce<string | null>((h, e) => evolveDefaultPool(h, e), null);
    expect(claim(holder, 'a')).toEqual([]);
    expect(thrown(() => claim(holder, 'b'))).toEqual({
      status: 400, type: 'InvalidInput',
      message: 'Invalid input for operation: A default subnetpool for this IP family has already been set. Only one default may exist per IP family.',
    });
    // a claim whose pool is no longer the default (a crash between the steps, a pool deleted) is free
    expect(claim(holder, 'b', () => false)).toHaveLength(1);
    const released = defaultPoolDecider.decide({ type: 'ReleaseDefaultPool', ip_version: 4, subnetpool_id: 'a' }, { holder, stillDefault: () => true });
    expect(released.reduce<string | null>((h, e) => evolveDefaultPool(h, e), holder)).toBeNull();
    expect(defaultPoolDecider.decide({ type: 'ReleaseDefaultPool', ip_version: 4, subnetpool_id: 'b' }, { holder, stillDefault: () => true })).toEqual([]);
  });
});
