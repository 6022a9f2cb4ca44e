import { ReadFence } from './read-fence';

/** A stream whose answers the test releases one by one, and a projection that records what it was asked to reach. */
function world() {
  let head = 0;
  const pending: Array<{ resolve: (n: number) => void; sentAt: number }> = [];
  const source = {
    lastSeq: () =>
      new Promise<number>((resolve) => {
        // the stream answers with its head at the moment it handles the question (here: when released)
        pending.push({ resolve: () => resolve(head), sentAt: head });
      }),
  };
  const reached: number[] = [];
  const target = { waitFor: async (seq: number) => void reached.push(seq) };
  const answerOne = async () => {
    pending.shift()!.resolve(0);
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { fence: new ReadFence(source, target), pending, reached, answerOne, write: () => ++head };
}

describe('ReadFence', () => {
  it('waits for the head the stream reports after the read began', async () => {
    const w = world();
    w.write();
    w.write();
    const read = w.fence.pass();
    await w.answerOne();
    await read;
    expect(w.reached).toEqual([2]);
  });

  it('a read that arrives while a question is on its way waits for the next one, which the burst shares', async () => {
    const w = world();
    const first = w.fence.pass();
    expect(w.pending).toHaveLength(1);
    // a write lands and is answered by another gateway; then three reads arrive
    w.write();
    const later = [w.fence.pass(), w.fence.pass(), w.fence.pass()];
    expect(w.pending).toHaveLength(1); // they do not ask on their own
    await w.answerOne(); // the first question's answer may predate the write: the three must not use it
    await first;
    expect(w.pending).toHaveLength(1); // one next question for all three
    w.write();
    await w.answerOne();
    await Promise.all(later);
    expect(w.reached).toEqual([1, 2, 2, 2]);
    expect(w.fence.asked).toBe(2);
  });

  it('asks again while the stream cannot answer (an election), and fails once the retry window is over', async () => {
    let failures = 2;
    const source = { lastSeq: async () => (failures-- > 0 ? Promise.reject(new Error('no responders')) : 7) };
    const reached: number[] = [];
    const fence = new ReadFence(source, { waitFor: async (s: number) => void reached.push(s) }, 10_000, 5_000);
    await fence.pass();
    expect(reached).toEqual([7]);
    expect(failures).toBe(-1); // three questions: two failed, the third answered
    const never = new ReadFence({ lastSeq: async () => Promise.reject(new Error('stream away')) }, { waitFor: async () => undefined }, 10_000, 250);
    await expect(never.pass()).rejects.toThrow('stream away');
  });
});
