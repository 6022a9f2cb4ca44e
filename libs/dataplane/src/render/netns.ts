/** Where a relative namespace name lives on the machine: '' is the host's own namespace (undefined = the root one). */
export const realNetns = (netns: string | undefined, hostNetns?: string): string | undefined =>
  netns ? netns : hostNetns || undefined;

/** argv prefix to run `cmd` inside a namespace (nothing for the root namespace). */
export const inNetns = (real: string | undefined, argv: string[]): string[] =>
  real ? ['ip', 'netns', 'exec', real, ...argv] : argv;
