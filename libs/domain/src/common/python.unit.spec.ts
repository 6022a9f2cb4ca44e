import { pyBool, pyInt, pyRepr, pyStr } from './python';

describe("Python's str/repr/int/bool for messages", () => {
  it.each([
    [null, 'None'], [true, 'True'], [5, '5'], [1.5, '1.5'], ['x', 'x'],
    [['a', 1, null], "['a', 1, None]"], [{ start: '1', n: [true] }, "{'start': '1', 'n': [True]}"],
  ])('str(%j) = %s', (value, text) => expect(pyStr(value)).toBe(text));

  it('repr quotes like Python', () => expect([pyRepr("it's"), pyRepr('a\\b')]).toEqual(['"it\'s"', "'a\\\\b'"]));
  it('int()', () => expect([pyInt(' 7 '), pyInt('1_000'), pyInt(2.9), pyInt('2.0'), pyInt(null)]).toEqual([7, 1000, 2, undefined, undefined]));
  it('bool_from_string(strict)', () =>
    expect([pyBool('Yes'), pyBool('off'), pyBool(1), pyBool(2), pyBool(null)]).toEqual([true, false, true, undefined, undefined]));
});
