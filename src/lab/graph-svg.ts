// The SVG picture, laid out by hand: namespaces are boxes in rows (a snake
// order, so that a chain stays side by side), interfaces are rounded boxes
// inside them with their addresses, bridge ports hang under their bridge, and
// a veth pair is a line. Neighbouring boxes are joined straight across the
// gap; other lines run in the gaps between columns and rows, each in a lane
// of its own, so no line crosses a box.
import type { LabDescription } from './description.js';
import { type GraphBox, type GraphIface, graphModel } from './graph.js';

const COLS = 5;
const GAP = 80; // between columns: room for lines
const ROW_GAP = 70;
const MARGIN = 30;
const PAD = 12;
const HEADER = 42;
const LINE = 15;
const NOTE = 14;
const INDENT = 18;
const CHAR = 7.2; // average width of a 12px character

interface Rect { x: number; y: number; w: number; h: number }

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function ifaceText(i: GraphIface): string[] {
  return [i.name + (i.kind === 'bridge' ? ' (bridge)' : '') + (i.up ? '' : ' (down)'), ...i.addresses, ...(i.qdisc ? [i.qdisc] : [])];
}

function ifaceHeight(i: GraphIface): number {
  return 10 + LINE * ifaceText(i).length;
}

function boxWidth(b: GraphBox): number {
  const texts = [b.title, b.subtitle ?? '', ...b.notes].map((t) => t.length * CHAR + 2 * PAD);
  for (const i of b.ifaces) for (const t of ifaceText(i)) texts.push(t.length * CHAR + 2 * PAD + 16 + (i.master ? INDENT : 0));
  return Math.max(170, Math.ceil(Math.max(...texts)));
}

function boxHeight(b: GraphBox): number {
  return HEADER + b.ifaces.reduce((h, i) => h + ifaceHeight(i) + 10, 0) + (b.notes.length ? 6 + NOTE * b.notes.length : 0) + PAD;
}

/** Words in lines of at most `width` characters; at most `max` lines (the last one cut with …). */
export function wrap(text: string, width: number, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  if (lines.length <= max) return lines;
  const last = lines[max - 1]!;
  return [...lines.slice(0, max - 1), `${last.slice(0, Math.max(0, width - 1))}…`];
}

/** A picture of a lab's description as SVG: namespaces, links, bridges and addresses. */
export function toSvg(lab: LabDescription): string {
  const m = graphModel(lab);
  const n = m.boxes.length;
  const cols = Math.max(1, Math.min(COLS, n));
  const rows = Math.ceil(n / cols);
  // Snake order: odd rows run right to left, so consecutive boxes stay neighbours.
  const cell = m.boxes.map((_, k) => {
    const r = Math.floor(k / cols);
    const c = k % cols;
    return { r, c: r % 2 === 1 ? cols - 1 - c : c };
  });
  const colW = Array.from({ length: cols }, (_, c) => Math.max(0, ...m.boxes.filter((_, k) => cell[k]!.c === c).map(boxWidth)));
  const rowH = Array.from({ length: rows }, (_, r) => Math.max(0, ...m.boxes.filter((_, k) => cell[k]!.r === r).map(boxHeight)));
  const colX = colW.map((_, c) => MARGIN + GAP / 2 + colW.slice(0, c).reduce((a, w) => a + w + GAP, 0));
  const width = Math.max(colX[cols - 1]! + colW[cols - 1]! + GAP / 2 + MARGIN, 400);
  const desc = wrap(m.description ?? '', Math.floor((width - 2 * MARGIN) / CHAR), 3);
  const top = MARGIN + 28 + desc.length * 16;
  const rowY = rowH.map((_, r) => top + rowH.slice(0, r).reduce((a, h) => a + h + ROW_GAP, 0));
  const height = rowY[rows - 1]! + rowH[rows - 1]! + ROW_GAP / 2 + MARGIN;

  // Within a box, links whose other end is further on come lower down (a
  // bridge keeps its ports under it): fewer lines cross.
  const boxOf = new Map<string, number>();
  m.boxes.forEach((b, k) => b.ifaces.forEach((i) => boxOf.set(i.id, k)));
  const peerOf = new Map<string, string>();
  for (const w of m.wires) { peerOf.set(w.a, w.b); peerOf.set(w.b, w.a); }
  const rank = (i: GraphIface, k: number): number => {
    const p = peerOf.get(i.id);
    const pk = p === undefined ? undefined : boxOf.get(p);
    if (pk === undefined || pk === k) return Infinity;
    return cell[pk]!.r * 1000 + (cell[pk]!.r === cell[k]!.r ? Math.abs(cell[pk]!.c - cell[k]!.c) : cell[k]!.r % 2 ? -cell[pk]!.c : cell[pk]!.c);
  };
  m.boxes.forEach((b, k) => {
    const groups: GraphIface[][] = [];
    for (const i of b.ifaces) {
      if (i.master !== undefined && groups.length && groups[groups.length - 1]![0]!.id === i.master) groups[groups.length - 1]!.push(i);
      else groups.push([i]);
    }
    for (const g of groups) if (g[0]!.kind === 'bridge') g.splice(1, g.length - 1, ...g.slice(1).sort((x, y) => rank(x, k) - rank(y, k)));
    const head = groups.filter((g) => g[0]!.kind === 'bridge');
    const rest = groups.filter((g) => g[0]!.kind !== 'bridge').sort((x, y) => rank(x[0]!, k) - rank(y[0]!, k));
    b.ifaces = [...head, ...rest].flat();
  });

  const boxes: string[] = [];
  const lines: string[] = [];
  const where = new Map<string, { rect: Rect; box: number }>();
  m.boxes.forEach((b, k) => {
    const { r, c } = cell[k]!;
    const rect: Rect = { x: colX[c]!, y: rowY[r]!, w: colW[c]!, h: boxHeight(b) };
    const root = b.ns === null;
    boxes.push(`<g class="namespace" data-ns="${escapeXml(b.id)}">`);
    boxes.push(`<rect x="${rect.x}" y="${rect.y}" width="${rect.w}" height="${rect.h}" rx="10" fill="${root ? '#f4f4f4' : '#eef3fa'}" stroke="#4a6fa5" stroke-width="1.5"${root ? ' stroke-dasharray="6 4"' : ''}/>`);
    boxes.push(`<text x="${rect.x + PAD}" y="${rect.y + 20}" class="title">${escapeXml(b.title)}</text>`);
    if (b.subtitle) boxes.push(`<text x="${rect.x + PAD}" y="${rect.y + 34}" class="sub">${escapeXml(b.subtitle)}</text>`);
    let y = rect.y + HEADER;
    for (const i of b.ifaces) {
      const indent = i.master ? INDENT : 0;
      const ir: Rect = { x: rect.x + PAD + indent, y, w: rect.w - 2 * PAD - indent, h: ifaceHeight(i) };
      where.set(i.id, { rect: ir, box: k });
      const bridge = i.kind === 'bridge';
      boxes.push(`<g class="link" data-link="${escapeXml(i.id)}">`);
      boxes.push(`<rect x="${ir.x}" y="${ir.y}" width="${ir.w}" height="${ir.h}" rx="6" fill="${bridge ? '#fdf1d6' : '#ffffff'}" stroke="${bridge ? '#c8962e' : '#4a6fa5'}"${i.up ? '' : ' stroke-dasharray="4 3"'}/>`);
      ifaceText(i).forEach((t, j) => {
        const cls = j === 0 ? 'name' : i.qdisc && j === ifaceText(i).length - 1 ? 'qdisc' : 'addr';
        boxes.push(`<text x="${ir.x + 8}" y="${ir.y + 16 + j * LINE}" class="${cls}${i.up ? '' : ' down'}">${escapeXml(t)}</text>`);
      });
      boxes.push('</g>');
      y += ir.h + 10;
    }
    b.notes.forEach((t, j) => boxes.push(`<text x="${rect.x + PAD}" y="${y + 8 + j * NOTE}" class="note">${escapeXml(t)}</text>`));
    boxes.push('</g>');
  });

  // Bridge ports: a line down the left edge from the bridge to each port.
  for (const p of m.ports) {
    const port = where.get(p.port);
    const br = where.get(p.bridge);
    if (!port || !br) continue;
    const x = br.rect.x + 8;
    lines.push(`<path class="port" d="M ${x} ${br.rect.y + br.rect.h} V ${port.rect.y + port.rect.h / 2} H ${port.rect.x}" fill="none" stroke="#c8962e" stroke-width="1.5"/>`);
  }

  // veth pairs.
  const boxRect = (k: number): Rect => ({ x: colX[cell[k]!.c]!, y: rowY[cell[k]!.r]!, w: colW[cell[k]!.c]!, h: rowH[cell[k]!.r]! });
  let lane = 0;
  for (const w of m.wires) {
    const A = where.get(w.a);
    const B = where.get(w.b);
    if (!A || !B) continue;
    const ay = A.rect.y + A.rect.h / 2;
    const by = B.rect.y + B.rect.h / 2;
    const ca = cell[A.box]!;
    const cb = cell[B.box]!;
    let d: string;
    if (A.box === B.box) {
      const x = boxRect(A.box).x + boxRect(A.box).w - PAD / 2;
      d = `M ${A.rect.x + A.rect.w} ${ay} H ${x} V ${by} H ${B.rect.x + B.rect.w}`;
    } else if (ca.r === cb.r && Math.abs(ca.c - cb.c) === 1) {
      const [L, Ly, R, Ry] = ca.c < cb.c ? [A, ay, B, by] : [B, by, A, ay];
      const mid = boxRect(L.box).x + boxRect(L.box).w + GAP / 2;
      d = `M ${L.rect.x + L.rect.w} ${Ly} H ${mid} V ${Ry} H ${R.rect.x}`;
    } else {
      // Out of A's side into the gap beside its box, along the gap between
      // rows, into the gap beside B's box, and across into B.
      // Lanes either side of the middle of a gap, which straight lines between neighbours use.
      const k = lane++ % 8;
      const off = (k % 2 === 0 ? 1 : -1) * (10 + 7 * Math.floor(k / 2));
      const ra = boxRect(A.box);
      const rb = boxRect(B.box);
      // One above the other: round the outside, where no other line runs.
      const same = cb.c === ca.c;
      const aRight = cb.c > ca.c || (same && ca.c !== 0);
      const bLeft = cb.c > ca.c || (same && ca.c === 0);
      const ax = aRight ? ra.x + ra.w + GAP / 2 + off : ra.x - GAP / 2 + off;
      const bx = bLeft ? rb.x - GAP / 2 - off : rb.x + rb.w + GAP / 2 - off;
      const gapY = cb.r >= ca.r ? rowY[ca.r]! + rowH[ca.r]! + ROW_GAP / 2 + off : rowY[ca.r]! - ROW_GAP / 2 + off;
      d = `M ${aRight ? A.rect.x + A.rect.w : A.rect.x} ${ay} H ${ax} V ${gapY} H ${bx} V ${by} H ${bLeft ? B.rect.x : B.rect.x + B.rect.w}`;
    }
    lines.push(`<path class="veth" data-a="${escapeXml(w.a)}" data-b="${escapeXml(w.b)}" d="${d}" fill="none" stroke="#222" stroke-width="2"/>`);
  }

  const head = [
    `<text x="${MARGIN}" y="${MARGIN + 6}" class="lab">lab ${escapeXml(m.lab)}</text>`,
    ...desc.map((line, j) => `<text x="${MARGIN}" y="${MARGIN + 26 + j * 16}" class="desc">${escapeXml(line)}</text>`),
  ];
  const style = [
    'text { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; font-size: 12px; fill: #222; }',
    '.lab { font-size: 16px; font-weight: bold; }',
    '.desc { fill: #555; }',
    '.title { font-size: 14px; font-weight: bold; fill: #23406b; }',
    '.sub { font-size: 11px; fill: #6b7f99; }',
    '.name { font-weight: bold; }',
    '.addr { font-family: "DejaVu Sans Mono", Menlo, monospace; font-size: 11px; }',
    '.qdisc { font-size: 11px; font-style: italic; fill: #7a3e9d; }',
    '.note { font-size: 11px; fill: #555; }',
    '.down { fill: #888; }',
  ].join(' ');
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<title>lab ${escapeXml(m.lab)}</title>`,
    `<style>${style}</style>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...head,
    ...boxes,
    ...lines,
    '</svg>',
    '',
  ].join('\n');
}
