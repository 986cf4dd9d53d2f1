// How iproute2 writes some values in its JSON: print_0xhex ("%#llx": "0" for
// zero, "0x1f" otherwise) and bridge timers ("%i.%.2i" seconds from
// hundredths).
export const hex0x = (n: number): string => (n === 0 ? '0' : `0x${n.toString(16)}`);
export const centiseconds = (n: number): number => Math.trunc(n / 100) + (n % 100) / 100;
