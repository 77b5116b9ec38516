// A fixed-height virtual list: row offsets from two known heights (group headers and role
// rows), the window of rows to render for a scroll position, and the scroll position that
// brings a row into view. No DOM measurement, so scrolling never forces a layout.

export type Layout = {
  /** offsets[i] is the top of row i; offsets[length] the total height. */
  offsets: Float64Array;
};

export function layoutRows(codes: Int32Array, headerHeight: number, rowHeight: number): Layout {
  const offsets = new Float64Array(codes.length + 1);
  for (let i = 0; i < codes.length; i++) offsets[i + 1] = offsets[i]! + (codes[i]! < 0 ? headerHeight : rowHeight);
  return { offsets };
}

export const totalHeight = (layout: Layout) => layout.offsets[layout.offsets.length - 1]!;

/** The row containing pixel `y` (binary search over the offsets). */
export function rowAt(layout: Layout, y: number): number {
  const { offsets } = layout;
  const n = offsets.length - 1;
  if (n <= 0) return 0;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid]! <= y) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** [start, end) of the rows to render: those overlapping the viewport plus `overscan` rows on
 * each side, so that a fast wheel or a PageDown does not show blank space for a frame. */
export function visibleRange(layout: Layout, scrollTop: number, viewportHeight: number, overscan: number): [number, number] {
  const n = layout.offsets.length - 1;
  if (n <= 0) return [0, 0];
  const first = rowAt(layout, Math.max(0, scrollTop));
  const last = rowAt(layout, Math.max(0, scrollTop + viewportHeight - 1));
  return [Math.max(0, first - overscan), Math.min(n, last + 1 + overscan)];
}

/** The scrollTop that shows rows first..last entirely, changing as little as possible (the
 * menu passes a group's first role together with its header). `topInset` is the height
 * covered by the sticky group header (0 when `first` is a header: it replaces the sticky one).
 * Null when they are already in view. */
export function scrollToReveal(layout: Layout, first: number, last: number, scrollTop: number, viewportHeight: number, topInset = 0): number | null {
  const top = layout.offsets[first];
  const bottom = layout.offsets[last + 1];
  if (top === undefined || bottom === undefined) return null;
  if (top < scrollTop + topInset) return Math.max(0, top - topInset);
  if (bottom > scrollTop + viewportHeight) return bottom - viewportHeight;
  return null;
}
