import { NeutronError } from '../errors';
import { parseIfMatch } from './if-match';

const refusal = (h: string) => {
  try {
    parseIfMatch(h);
    return 'no error';
  } catch (e) {
    return e instanceof NeutronError ? { status: e.status, type: e.type, message: e.message } : e;
  }
};

// Answers recorded from Zed (neutron-server 21.0.0) for PUT /v2.0/networks/<id>.
describe('If-Match as Neutron reads it', () => {
  it.each([
    [undefined, undefined],
    ['*', undefined],
    ['"abc"', undefined],
    ['W/"revision_number=abc"', undefined],
    ['revision_number=3', 3],
    ['"revision_number=3"', 3],
    ['revision_number=+1', 1],
    ['revision_number=1_0', 10],
  ])('%s constrains to %s', (header, revision) => {
    expect(parseIfMatch(header)).toBe(revision);
  });

  it('a revision that is not an int is a 400', () => {
    expect(refusal('revision_number=abc')).toEqual({
      status: 400,
      type: 'BadRequest',
      message: 'Bad if-match request: Revision number etag must be in the format of revision_number=<int>.',
    });
    // unquoted, the whole header is one etag
    expect(refusal('revision_number=1, revision_number=2')).toMatchObject({ status: 400, type: 'BadRequest' });
  });

  it('two revision etags are a 400', () => {
    expect(refusal('"revision_number=1", "revision_number=2"')).toEqual({
      status: 400,
      type: 'BadRequest',
      message: 'Bad if-match request: Multiple revision_number etags are not supported..',
    });
  });
});
