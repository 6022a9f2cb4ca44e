import { MAX_JSON_DEPTH, jsonDeeperThan, pyJsonDumps } from './json-limits';
import { pyRepr, pyStr } from './python';

const nested = (depth: number): unknown => {
  let v: unknown = 'x';
  for (let i = 0; i < depth; i++) v = i % 2 ? { k: v } : [v];
  return v;
};

describe('request JSON depth', () => {
  it('counts levels of arrays and objects, scalars are free', () => {
    expect(jsonDeeperThan('x', 0)).toBe(false);
    expect(jsonDeeperThan([], 0)).toBe(true);
    expect(jsonDeeperThan(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(jsonDeeperThan(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
  });

  it('walks 100,000 levels without overflowing the stack', () => {
    expect(jsonDeeperThan(nested(100_000), MAX_JSON_DEPTH)).toBe(true);
  });

  it('finds the deep branch beside shallow ones', () => {
    expect(jsonDeeperThan({ a: 1, b: [1, 2], c: { d: nested(40) } }, MAX_JSON_DEPTH)).toBe(true);
  });
});

describe("Python's json.dumps", () => {
  it('renders with its separators and escapes non-ASCII', () => {
    // python3 -c 'import json; print(json.dumps({"a": [1, 2.5, "é€😀", None, True], "b": {}}))'
    expect(pyJsonDumps({ a: [1, 2.5, 'é€😀', null, true], b: {} })).toBe('{"a": [1, 2.5, "\\u00e9\\u20ac\\ud83d\\ude00", null, true], "b": {}}');
    expect(pyJsonDumps(1e-7)).toBe('1e-07');
    expect(pyJsonDumps('a"\n\x7f')).toBe('"a\\"\\n\x7f"');
  });
});

describe('pyStr on deep values', () => {
  it('renders a value nested 10,000 levels without a RangeError', () => {
    const s = pyStr(nested(10_000));
    expect(s.startsWith("{'k': [{'k': [")).toBe(true);
    expect(s).toMatch(/\[\.\.\.\]|\{\.\.\.\}/);
    expect(pyRepr(nested(10_000))).toBe(s);
  });
});
