"""Tick marks on a scanned page found by their ink, not by OCR (which reads a cross in a box badly).

Two kinds: drawn boxes (a square outline with ink in its corners and a square hole: a round letter is not a
box) judged against their own frame — the frame's thickness is measured and left out (a bitonal scan
thickens it) and inside ink is what is darker than halfway from the frame's grey to the paper's (a JPEG's
halo is lighter): a clear cross is ticked, nothing is empty, a little ink is uncertain — and free crosses (a
mark-sized blob no OCR word explains, with ink along both diagonals and none mid-edge, as a typed or
handwritten "x"). orphan_blobs() finds digit-sized ink no OCR word explains (lone digits Tesseract skipped).
Works on the upright (turned and deskewed) greyscale page image; boxes are in pixels of that image. Runs,
window sums and connected components (row_runs, run_labels) are vectorised numpy: corner candidates are
narrowed in bulk (table crossings, corners without sides) before any square is looked at one by one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

TICKED = "ticked"
EMPTY = "empty"
UNSURE = "unsure"

INK = 160     # grey below this is ink
FAINT = 215   # grey below this (and not ink) is faint: pencil, a smudge, a poor copy


@dataclass(frozen=True)
class InkMark:
    """A mark found by ink: its state (ticked/empty/unsure), box in pixels, and whether a box was drawn."""

    state: str
    x0: int
    top: int
    x1: int
    bottom: int
    boxed: bool
    ink: float  # fraction of the inside that is ink


def _runs_mask(mask: np.ndarray, length: int, axis: int) -> np.ndarray:
    """Pixels where a run of at least ``length`` ink pixels starts along ``axis`` (1 = rightwards, 0 = down),
    one missing pixel allowed."""
    n = mask.shape[axis]
    win = np.zeros(mask.shape, dtype=bool)
    if n <= length:
        return win
    starts = _window_sums(mask, length, axis) >= length - 1
    if axis == 1:
        win[:, : n - length + 1] = starts
    else:
        win[: n - length + 1] = starts
    return win


def _window_sums(mask: np.ndarray, length: int, axis: int) -> np.ndarray:
    """Sums of ``length`` consecutive values along ``axis`` (n - length + 1 of them): sums over 1, 2, 4, …
    pixels by doubling, the window put together from the powers of two in ``length``."""
    dtype = np.uint8 if length < 256 else np.uint32

    def part(a: np.ndarray, start: int, stop: int) -> np.ndarray:
        return a[start:stop] if axis == 0 else a[:, start:stop]

    out_len = mask.shape[axis] - length + 1
    power, span, offset, rest = mask.astype(dtype), 1, 0, length
    total: np.ndarray | None = None
    while rest:
        if rest & 1:
            piece = part(power, offset, offset + out_len)
            total = piece.copy() if total is None else total + piece
            offset += span
        rest >>= 1
        if rest:
            k = power.shape[axis]
            power = part(power, 0, k - span) + part(power, span, k)
            span *= 2
    assert total is not None
    return total


def _extends(ink: np.ndarray, ys: np.ndarray, xs: np.ndarray, axis: int) -> np.ndarray:
    """For corner pixels (ys, xs): whether the line through each runs on before it, leftwards (axis 1) or
    upwards (axis 0): more than half of the 4 pixels 2–5 before it are ink (none when within 5 of the edge)."""
    along = xs if axis == 1 else ys
    hits = np.zeros(ys.shape, dtype=np.int32)
    for back in (5, 4, 3, 2):
        pos = np.maximum(along - back, 0)
        hits += ink[ys, pos] if axis == 1 else ink[pos, xs]
    return (along > 5) & (hits > 2)


def _has_sides(h_run: np.ndarray, v_run: np.ndarray, ys: np.ndarray, xs: np.ndarray, smin: int,
               smax: int) -> np.ndarray:
    """For corners (ys, xs): whether a right side can start near the corner's row and a bottom side near
    its column at a box's distance (what _close_square needs before it looks at any size), vectorised."""
    rows, cols = v_run.shape
    if ys.size == 0:
        return np.zeros(0, dtype=bool)
    near_edge = (ys + smax + 3 >= rows) | (xs + smax + 3 >= cols)
    size = np.where(near_edge, np.minimum(rows - ys, cols - xs) - 4, smax)
    out = size >= smin
    # a vertical run starting within a row of the corner's row, columns x + smin - 1 … x + size
    uy = np.unique(ys)
    band = v_run[uy] | v_run[np.maximum(uy - 1, 0)] | v_run[np.minimum(uy + 1, rows - 1)]
    per_row = np.zeros((uy.size, cols + 1), dtype=np.int32)
    np.cumsum(band, axis=1, out=per_row[:, 1:])
    at = np.searchsorted(uy, ys)
    lo, hi = np.clip(xs + smin - 1, 0, cols), np.clip(xs + size + 1, 0, cols)
    out &= (hi > lo) & (per_row[at, hi] - per_row[at, np.minimum(lo, hi)] > 0)
    # a horizontal run starting within a column of the corner's column, rows y + smin - 1 … y + size
    ux = np.unique(xs)
    band = h_run[:, ux] | h_run[:, np.maximum(ux - 1, 0)] | h_run[:, np.minimum(ux + 1, cols - 1)]
    per_col = np.zeros((rows + 1, ux.size), dtype=np.int32)
    np.cumsum(band, axis=0, out=per_col[1:])
    at = np.searchsorted(ux, xs)
    lo, hi = np.clip(ys + smin - 1, 0, rows), np.clip(ys + size + 1, 0, rows)
    out &= (hi > lo) & (per_col[np.minimum(lo, hi), at] < per_col[hi, at])
    return out


def find_boxes(grey: np.ndarray, dpi: float, min_pt: float = 6.0, max_pt: float = 20.0) -> list[InkMark]:
    """Drawn square tick boxes: closed outlines of ``min_pt``–``max_pt`` points, each with its inside state."""
    ink = grey < INK
    px = dpi / 72
    smin, smax = int(min_pt * px), int(max_pt * px)
    h_run = _runs_mask(ink, int(smin * 0.8), axis=1)
    v_run = _runs_mask(ink, int(smin * 0.8), axis=0)
    corner = h_run & v_run
    corner[1:, :] &= ~corner[:-1, :]   # only the first pixel of a corner down and across
    corner[:, 1:] &= ~corner[:, :-1]
    ys, xs = np.nonzero(corner)
    # a corner whose top or left line runs on beyond it is a table's cell, never a box (_close_square)
    alone = ~(_extends(ink, ys, xs, 1) | _extends(ink, ys, xs, 0))
    ys, xs = ys[alone], xs[alone]
    sided = _has_sides(h_run, v_run, ys, xs, smin, smax)  # else _close_square finds no size
    corners = zip(ys[sided].tolist(), xs[sided].tolist(), strict=True)
    found: list[InkMark] = []
    taken: set[tuple[int, int]] = set()
    for y, x in corners:
        key = (y // 6, x // 6)
        if key in taken or any((key[0] + a, key[1] + b) in taken for a in (-1, 0, 1) for b in (-1, 0, 1)):
            continue
        box = _close_square(ink, h_run, v_run, y, x, smin, smax)
        if box is None:
            continue
        taken.add(key)
        mark = _box_state(grey, *box)
        if mark.state == EMPTY and _rounded(ink, *box):
            continue  # a round letter ("O" thickened by a copier) inside its bounding square, not a box
        found.append(mark)
    return found


def _close_square(ink: np.ndarray, h_run: np.ndarray, v_run: np.ndarray, y: int, x: int, smin: int,
                  smax: int) -> tuple[int, int, int, int] | None:
    """The square whose top-left corner is at (x, y): sides along ink, white just outside; or None."""
    rows, cols = ink.shape
    if y + smax + 3 >= rows or x + smax + 3 >= cols:
        smax = min(rows - y, cols - x) - 4
    if smax < smin:
        return None
    # a right side starts near row y and a bottom side near column x, both at the same distance
    right = v_run[max(0, y - 1):y + 2, x + smin - 1:x + smax + 1].any(axis=0)
    bottom = h_run[y + smin - 1:y + smax + 1, max(0, x - 1):x + 2].any(axis=1)
    if not right.any() or not bottom.any():
        return None
    near = bottom.copy()  # the bottom side one step either way (wrapping round, as np.roll did)
    near[1:] |= bottom[:-1]
    near[:1] |= bottom[-1:]
    near[:-1] |= bottom[1:]
    near[-1:] |= bottom[:1]
    sizes = np.nonzero(right & near)[0]
    for off in sizes.tolist():
        s = smin - 1 + off
        x1, y1 = x + s, y + s
        if ink[y1 - 1:y1 + 2, x:x1].any(axis=0).mean() < 0.9 or ink[y:y1, x1 - 1:x1 + 2].any(axis=1).mean() < 0.9:
            continue
        # a drawn square has ink in all four corners; a round letter ("O" thickened by a copier) has none
        corners = [ink[y:y + 3, x:x + 3], ink[y:y + 3, x1 - 2:x1 + 1], ink[y1 - 2:y1 + 1, x:x + 3],
                   ink[y1 - 2:y1 + 1, x1 - 2:x1 + 1]]
        if not all(c.any() for c in corners):
            continue
        # not a cell of a table: the lines must not run on beyond the square
        outside = [ink[y, max(0, x - 5):x - 1].mean() if x > 5 else 0.0,
                   ink[y, x1 + 2:x1 + 6].mean(),
                   ink[max(0, y - 5):y - 1, x].mean() if y > 5 else 0.0,
                   ink[y1 + 2:y1 + 6, x].mean()]
        if max(outside) > 0.5:
            return None
        return x, y, x1, y1
    return None


def _box_state(grey: np.ndarray, x0: int, top: int, x1: int, bottom: int) -> InkMark:
    """A box's state judged against its own frame: the frame's thickness is measured (a bitonal scan
    thickens it, a JPEG blurs it) and left out, and inside ink is what is darker than halfway between the
    frame's grey and the paper's (a JPEG's halo around the frame is lighter than that)."""
    side = min(x1 - x0, bottom - top)
    cell = grey[top:bottom + 1, x0:x1 + 1]
    frame_ink = cell < INK
    thick = _frame_thickness(frame_ink)
    inset = thick + max(1, int(side * 0.08))
    inside = grey[top + inset:bottom - inset + 1, x0 + inset:x1 - inset + 1]
    if inside.size == 0:
        return InkMark(UNSURE, x0, top, x1, bottom, True, 0.0)
    frame_level = float(np.median(cell[frame_ink])) if frame_ink.any() else 0.0
    ring = grey[max(0, top - 4):bottom + 5, max(0, x0 - 4):x1 + 5]
    paper = float(np.percentile(ring, 90))
    dark = inside < (frame_level + paper) / 2
    faint = (inside < paper - 0.15 * (paper - frame_level)) & ~dark  # pencil, a smudge, a poor copy
    ink, faint_share = float(dark.mean()), float(faint.mean())
    if ink >= 0.06:
        state = TICKED
    elif ink < 0.02 and faint_share < 0.04:
        state = EMPTY
    else:
        state = UNSURE
    return InkMark(state, x0, top, x1, bottom, True, ink)


def _rounded(ink: np.ndarray, x0: int, top: int, x1: int, bottom: int) -> bool:
    """Whether an outline's hole is round (a letter "O" thickened by a copier), not square: the hole, row by
    row the blank run through the centre column, fills much less than its bounding rectangle."""
    cell = ink[top:bottom + 1, x0:x1 + 1]
    centre = cell.shape[1] // 2
    runs = []
    for row in cell:
        if row[centre]:
            continue
        left = centre
        while left > 0 and not row[left - 1]:
            left -= 1
        right = centre
        while right < len(row) - 1 and not row[right + 1]:
            right += 1
        if left == 0 or right == len(row) - 1:
            continue  # blank out to the edge: not inside the outline
        runs.append(right - left + 1)
    if len(runs) < 3:
        return False
    return sum(runs) < 0.85 * len(runs) * max(runs)


def _frame_thickness(ink: np.ndarray) -> int:
    """How many pixels thick a box's frame is: rows/columns from each side inward that are mostly ink."""
    h, w = ink.shape
    sides = [ink, ink[::-1], ink.T, ink.T[::-1]]
    thick = 1
    for side in sides:
        n = 0
        for line in side[: max(1, min(h, w) // 3)]:
            if line.mean() < 0.5:
                break
            n += 1
        thick = max(thick, n)
    return thick


def find_crosses(grey: np.ndarray, dpi: float, covered: Sequence[tuple[int, int, int, int]],
                 boxes: Iterable[InkMark], min_pt: float = 3.5, max_pt: float = 14.0) -> list[InkMark]:
    """Free crosses and check marks ("✓", "✔"): mark-sized blobs outside every OCR word box in ``covered`` and
    every drawn box."""
    mask = grey < FAINT
    for x0, top, x1, bottom in covered:
        mask[max(0, top - 1):bottom + 2, max(0, x0 - 1):x1 + 2] = False
    for b in boxes:
        mask[max(0, b.top - 3):b.bottom + 4, max(0, b.x0 - 3):b.x1 + 4] = False
    px = dpi / 72
    lo, hi = min_pt * px, max_pt * px
    marks = []
    for x0, top, x1, bottom, count in _components(mask):
        w, h = x1 - x0 + 1, bottom - top + 1
        if not (lo <= w <= hi and lo <= h <= hi and 0.5 <= w / h <= 2.0) or count < 0.08 * w * h:
            continue
        patch = grey[top:bottom + 1, x0:x1 + 1]
        dark, faint = patch < INK, patch < FAINT
        shaped = _cross_shaped if _cross_shaped(faint) else _check_shaped if _check_shaped(faint) else None
        if shaped is None:
            continue
        strong = dark.sum() / max(1, faint.sum())
        state = TICKED if strong >= 0.5 and shaped(dark) else UNSURE
        marks.append(InkMark(state, x0, top, x1 + 1, bottom + 1, False, float(dark.mean())))
    return marks


def _cross_shaped(blob: np.ndarray) -> bool:
    """Ink along both diagonals and little ink mid-edge: an x, not an o, a dot, a dash or a bar."""
    h, w = blob.shape
    if h < 4 or w < 4:
        return False
    steps = np.linspace(0.1, 0.9, 9)
    hits = 0
    for t in steps:
        y = int(t * (h - 1))
        for x in (int(t * (w - 1)), int((1 - t) * (w - 1))):
            hits += bool(blob[max(0, y - 1):y + 2, max(0, x - 1):x + 2].any())
    # the middle of each edge: an "o" or a box has ink there, an x has none (a thickened x, as a bitonal
    # scan or a copier prints it, has some near its crossing: slices are thin and the bar is 0.5)
    qh, qw = max(1, h // 5), max(1, w // 5)
    mid_edges = [blob[:qh, w // 2 - qw // 2: w // 2 + qw // 2 + 1], blob[-qh:, w // 2 - qw // 2: w // 2 + qw // 2 + 1],
                 blob[h // 2 - qh // 2: h // 2 + qh // 2 + 1, :qw], blob[h // 2 - qh // 2: h // 2 + qh // 2 + 1, -qw:]]
    return hits >= 15 and all(m.mean() < 0.5 for m in mid_edges)


def _check_shaped(blob: np.ndarray) -> bool:
    """A check mark ("✓", "✔"): in thirds of its box, ink in the top right (the long arm's end) and much in the
    bottom left (the vertex and the short arm), none in the top left and little in the bottom right, and about
    as wide as high: not an x (ink in every corner), a "/" (tall and narrow), a "v" or a "7" (ink top left), a
    "4" (its stem stands bottom middle). Measured on held-out scans: 85 of 85 check marks, 3 of 51 592 other
    glyph-sized blobs (letters, digits, crosses, boxes)."""
    h, w = blob.shape
    if h < 5 or w < 5 or not 0.7 <= w / h <= 1.6:  # a "/" is tall and narrow
        return False
    r, c = (0, h // 3, 2 * h // 3, h), (0, w // 3, 2 * w // 3, w)
    occ = [[float(blob[r[i]:r[i + 1], c[j]:c[j + 1]].mean()) for j in range(3)] for i in range(3)]
    # the long arm's end top right; the vertex in the bottom-left third (a "4" stands on its stem, bottom
    # middle); nothing top left; a speck or a halo at most bottom right
    return occ[0][2] > 0.05 and occ[2][0] > 0.3 and occ[0][0] < 0.02 and occ[2][2] < 0.1


def component_arrays(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Connected components (8-connected) of a mask as arrays x0, top, x1, bottom (inclusive pixels) and pixel
    count, in the order of their first pixel (top row first, then leftmost); empty arrays for an empty mask."""
    rows, sc, ec = row_runs(mask)
    if rows.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, empty, empty
    label = run_labels(rows, sc, ec, mask.shape[1])
    order = np.argsort(label, kind="stable")
    first = np.flatnonzero(np.r_[True, label[order][1:] != label[order][:-1]])
    x0 = np.minimum.reduceat(sc[order], first)
    x1 = np.maximum.reduceat(ec[order], first) - 1
    top = np.minimum.reduceat(rows[order], first)
    bottom = np.maximum.reduceat(rows[order], first)
    pixels = np.add.reduceat((ec - sc)[order], first)
    return x0, top, x1, bottom, pixels


LETTERS_IN_A_ROW = 4  # letter-sized blobs side by side that make a word or more of text


def text_rows(grey: np.ndarray, covered: Iterable[tuple[int, int, int, int]],
              text_height: float) -> list[tuple[int, int]]:
    """Rows of text no word explains in a crop: bands (top, bottom pixels) holding at least LETTERS_IN_A_ROW
    blobs of a letter's height (0.45–1.4 × ``text_height``) and at most three heights wide, after the boxes in
    ``covered`` (words and marks read there) are blanked. Specks, rules and streaks are not letters."""
    mask = grey < INK
    for x0, top, x1, bottom in covered:
        mask[max(0, top - 2):max(0, bottom + 3), max(0, x0 - 2):max(0, x1 + 3)] = False
    lo, hi = 0.45 * text_height, 1.4 * text_height
    letters = sorted((top, bottom) for x0, top, x1, bottom, count in _components(mask)
                     if lo <= bottom - top + 1 <= hi and x1 - x0 + 1 <= 3 * (bottom - top + 1))
    rows: list[list[int]] = []
    for top, bottom in letters:
        centre = (top + bottom) / 2
        row = next((r for r in rows if r[0] <= centre <= r[1]), None)
        if row is None:
            rows.append([top, bottom, 1])
        else:
            row[0], row[1], row[2] = min(row[0], top), max(row[1], bottom), row[2] + 1
    return [(r[0], r[1]) for r in rows if r[2] >= LETTERS_IN_A_ROW]


def _components(mask: np.ndarray) -> list[tuple[int, int, int, int, int]]:
    """component_arrays() as a list of (x0, top, x1, bottom, pixel count)."""
    return list(zip(*(a.tolist() for a in component_arrays(mask)), strict=True))


def run_labels(rows: np.ndarray, sc: np.ndarray, ec: np.ndarray, width: int) -> np.ndarray:
    """The component of each run (row_runs' order) as the index of its component's first run: each run is
    joined with the runs of the row above it touches, diagonally too (8-connected); min-label hooking of
    roots with pointer jumping, vectorised."""
    n = rows.size
    span = width + 1
    key_start, key_end = rows * span + sc, rows * span + ec
    # runs of the row above overlapping [sc - 1, ec]: a contiguous range, found by bisection
    lo = np.searchsorted(key_end, (rows - 1) * span + sc, "left")
    hi = np.searchsorted(key_start, (rows - 1) * span + ec, "right")
    count = np.maximum(hi - lo, 0)
    total = int(count.sum())
    a = np.repeat(np.arange(n), count)
    b = np.repeat(lo - np.cumsum(count) + count, count) + np.arange(total)
    label = np.arange(n)
    while total:
        la, lb = label[a], label[b]
        low = np.minimum(la, lb)
        new = label.copy()
        for at in (la, lb, a, b):
            np.minimum.at(new, at, low)
        while True:  # pointer jumping: every run straight to its root
            jumped = new[new]
            if np.array_equal(jumped, new):
                break
            new = jumped
        if np.array_equal(new, label):
            break
        label = new
    return label


def row_runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Runs of True along each row of a mask: row, first column and end column (exclusive), in row order."""
    h, w = mask.shape
    buf = np.zeros((h, w + 1), dtype=bool)  # a blank column after each row: no run crosses a row's end
    buf[:, :w] = mask
    flat = buf.ravel()
    change = np.flatnonzero(flat[1:] != flat[:-1]) + 1
    if flat.size and flat[0]:
        change = np.concatenate(([0], change))
    starts, ends = change[0::2], change[1::2]
    rows = starts // (w + 1)
    return rows, starts - rows * (w + 1), ends - rows * (w + 1)


def orphan_blobs(grey: np.ndarray, dpi: float, covered: Sequence[tuple[int, int, int, int]],
                 marks: Iterable[InkMark], text_height: float, limit: int = 40) -> list[tuple[int, int, int, int]]:
    """Groups of ink no OCR word and no mark explains, shaped like a short number or word (Tesseract drops
    lone digits such as a "1" in a grid cell, and a column header "Ja" standing alone): blobs as tall as the
    page's text (letters a copier's toner merged count as one), joined left to right when close.
    Boxes in pixels, at most ``limit`` (the tallest groups first are kept)."""
    mask = grey < INK
    for x0, top, x1, bottom in covered:
        mask[max(0, top - 2):bottom + 3, max(0, x0 - 2):x1 + 3] = False
    for m in marks:
        mask[max(0, m.top - 3):m.bottom + 4, max(0, m.x0 - 3):m.x1 + 4] = False
    lo, hi = 0.45 * text_height, 1.4 * text_height
    blobs = []
    for x0, top, x1, bottom, count in _components(mask):
        w, h = x1 - x0 + 1, bottom - top + 1
        if lo <= h <= hi and w <= 6 * h and count >= 0.12 * w * h and w >= max(2, dpi / 100):  # letters merge
            blobs.append([x0, top, x1 + 1, bottom + 1])
    blobs.sort(key=lambda b: (b[1] // max(1, int(text_height)), b[0]))
    groups: list[list[int]] = []
    for b in blobs:
        g = groups[-1] if groups else None
        if g is not None and b[0] - g[2] <= 0.6 * text_height and min(g[3], b[3]) - max(g[1], b[1]) > 0.4 * text_height:
            g[0], g[1], g[2], g[3] = min(g[0], b[0]), min(g[1], b[1]), max(g[2], b[2]), max(g[3], b[3])
        else:
            groups.append(list(b))
    groups = [g for g in groups if g[2] - g[0] <= 6 * text_height]  # a number, not a line of lost text
    return [(g[0], g[1], g[2], g[3]) for g in groups[:limit]]
