// tc's "SIZE[/CELL]" syntax for bursts (get_size_and_cell): a size, and
// optionally the rate table's cell size, which must be a power of two.
import { EncodeError } from '../../../netlink/errors.js';
import { cellLogOf } from '../rate-table.js';
import { parseSize } from '../units.js';

export function parseSizeAndCell(v: unknown, path: string): { size: number; cellLog?: number } {
  if (typeof v === 'string' && v.includes('/')) {
    const [size, cell, ...rest] = v.split('/');
    if (rest.length || !/^\d+$/.test(cell!)) throw new EncodeError(path, `"${v}" is not SIZE/CELL`);
    return { size: parseSize(size, path), cellLog: cellLogOf(Number(cell), path) };
  }
  return { size: parseSize(v, path) };
}
