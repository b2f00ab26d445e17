/**
 * How many wall tiles fit on the screen at a size readable from 5 m. The wall never scrolls: a page with more hosts
 * than fit is shown a screenful at a time, and only that screenful is rendered — which is also what keeps a
 * 1,000-host wall at full frame rate.
 */
import { type RefObject, useEffect, useState } from 'react';

/** Tile size in viewport terms (the fonts inside are vh-based, so these keep them legible). */
const TILE_MIN_WIDTH_VW = 18;
const TILE_MIN_WIDTH_PX = 260;
const TILE_HEIGHT_VH = 24;
const ROW_GAP_VH = 1.2;
const COL_GAP_VW = 1;

export interface TileLayout {
  columns: number;
  rows: number;
  tileHeightPx: number;
  perScreen: number;
}

export function tileLayout(width: number, height: number, viewportWidth: number, viewportHeight: number): TileLayout {
  const colGap = (COL_GAP_VW / 100) * viewportWidth;
  const rowGap = (ROW_GAP_VH / 100) * viewportHeight;
  const minWidth = Math.max((TILE_MIN_WIDTH_VW / 100) * viewportWidth, TILE_MIN_WIDTH_PX);
  const tileHeightPx = Math.round((TILE_HEIGHT_VH / 100) * viewportHeight);
  const columns = Math.max(1, Math.floor((width + colGap) / (minWidth + colGap)));
  const rows = Math.max(1, Math.floor((height + rowGap) / (tileHeightPx + rowGap)));
  return { columns, rows, tileHeightPx, perScreen: columns * rows };
}

/** The layout for the element's current size; follows window and display changes. */
export function useTileLayout(ref: RefObject<HTMLElement | null>): TileLayout {
  const measure = () => {
    const el = ref.current;
    return tileLayout(el?.clientWidth ?? window.innerWidth, el?.clientHeight ?? window.innerHeight * 0.75, window.innerWidth, window.innerHeight);
  };
  const [layout, setLayout] = useState<TileLayout>(measure);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = () =>
      setLayout((before) => {
        const next = measure();
        return next.columns === before.columns && next.rows === before.rows && next.tileHeightPx === before.tileHeightPx ? before : next;
      });
    const observer = new ResizeObserver(update);
    observer.observe(el);
    update();
    return () => observer.disconnect();
  }, [ref]);
  return layout;
}
