// The menu's fixed heights: the virtual list positions rows from these without measuring the DOM.
export const HEADER_H = 32;
export const ROW_H = 44;
/** Rows drawn above and below the visible ones, so a fast scroll does not show blank space. */
export const OVERSCAN = 2;
