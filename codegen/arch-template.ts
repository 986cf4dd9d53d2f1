// The text of src/generated/arch.ts: how a chooser module (emit.ts,
// emitChooser) picks the table of the architecture Node runs on.
export const ARCH_TEMPLATE_PATH = 'codegen/arch-template.ts';

export const ARCH_MODULE = `/**
 * The table for the architecture Node runs on, among those generated (keyed
 * by process.arch). On any other architecture the numbers are unknown, so
 * using the module is refused with the reason rather than guessed.
 */
export function forArch<T>(module: string, tables: Readonly<Record<string, T>>, arch: string = process.arch): T {
  const table = Object.hasOwn(tables, arch) ? tables[arch] : undefined;
  if (table === undefined) {
    throw new Error(\`netlink-ts has \${module} tables for \${Object.keys(tables).join(' and ')}, not for process.arch '\${arch}' (see docs/platforms.md)\`);
  }
  return table;
}
`;
