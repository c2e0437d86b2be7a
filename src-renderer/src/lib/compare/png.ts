// Draw rows of titled grids onto a canvas (our own drawing: exact palette, whole-pixel cells) and
// return it as a PNG data URL, so a comparison can be saved without any extra dependency.
import { ARC_PALETTE } from '../../../../src-shared/puzzle/palette';
import { CELL_EOS, CELL_IGNORE, CELL_PAD, isColour, type Cells, type Rect } from '../grid/cells';

export interface PngRow {
  title: string;
  grids: Array<{ title: string; cells: Cells }>;
}

const FONT = '12px system-ui, sans-serif';

export function drawRows(canvas: HTMLCanvasElement, rows: PngRow[], view: Rect | null, cell = 12): void {
  const gridW = (g: Cells) => (view ? view.cols : (g[0]?.length ?? 0)) * cell;
  const gridH = (g: Cells) => (view ? view.rows : g.length) * cell;
  const pad = 10;
  const titleH = 18;
  const capH = 16;
  const rowH = rows.map((r) => titleH + capH + Math.max(0, ...r.grids.map((g) => gridH(g.cells))) + pad);
  const rowW = rows.map((r) => r.grids.reduce((w, g) => w + gridW(g.cells) + pad, pad));
  canvas.width = Math.max(200, ...rowW);
  canvas.height = rowH.reduce((a, b) => a + b, pad);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser cannot draw to a canvas');
  ctx.fillStyle = '#0d1117';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.font = FONT;
  let y = pad;
  rows.forEach((r, ri) => {
    ctx.fillStyle = '#e6edf3';
    ctx.fillText(r.title, pad, y + 12);
    let x = pad;
    for (const g of r.grids) {
      drawGrid(ctx, g.cells, x, y + titleH, cell, view);
      ctx.fillStyle = '#8b949e';
      ctx.fillText(g.title, x, y + titleH + gridH(g.cells) + 12);
      x += gridW(g.cells) + pad;
    }
    y += rowH[ri] as number;
  });
}

function drawGrid(ctx: CanvasRenderingContext2D, cells: Cells, x0: number, y0: number, cell: number, view: Rect | null): void {
  const w = view ?? { r: 0, c: 0, rows: cells.length, cols: cells[0]?.length ?? 0 };
  for (let i = 0; i < w.rows; i++)
    for (let j = 0; j < w.cols; j++) {
      const v = cells[w.r + i]?.[w.c + j] ?? CELL_PAD;
      const x = x0 + j * cell;
      const y = y0 + i * cell;
      if (isColour(v)) {
        ctx.fillStyle = ARC_PALETTE[v] as string;
        ctx.fillRect(x, y, cell - 1, cell - 1);
      } else if (v === CELL_EOS) {
        ctx.fillStyle = '#d9d9d9';
        ctx.fillRect(x, y, cell - 1, cell - 1);
        ctx.fillStyle = '#555';
        ctx.fillRect(x + cell / 4, y + cell / 4, cell / 2, cell / 2);
      } else if (v === CELL_IGNORE) {
        ctx.fillStyle = '#6b7280';
        ctx.fillRect(x, y, cell - 1, cell - 1);
      } else {
        // PAD: hatched, so it reads as "not part of the grid"
        ctx.fillStyle = '#1b1f24';
        ctx.fillRect(x, y, cell - 1, cell - 1);
        ctx.strokeStyle = '#3b434d';
        ctx.beginPath();
        ctx.moveTo(x, y + cell - 1);
        ctx.lineTo(x + cell - 1, y);
        ctx.stroke();
      }
    }
}
