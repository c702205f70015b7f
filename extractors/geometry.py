"""Small pure functions over word boxes: lines, bounding boxes, bands, columns, cells, and labels among them."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from extractors.base import BBox
from extractors.labels import Stream, find_label, match_at, required_score, tokens
from extractors.pdf_words import Word
from extractors.text_repair import WRAP
from formgen.values import is_valid_email, join_wrapped

_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Line:
    """Words of one page that share a text line, left to right."""

    page: int
    top: float
    bottom: float
    words: tuple[Word, ...]

    @property
    def height(self) -> float:
        """Line height in points."""
        return self.bottom - self.top


def words_to_lines(words: Iterable[Word]) -> list[Line]:
    """Group words into lines (per page, top to bottom): a word joins a line it overlaps half its height."""
    ordered = sorted(words, key=lambda w: (w.page, w.yc, w.x0))
    if len(ordered) < 2:
        return [Line(w.page, w.top, w.bottom, (w,)) for w in ordered]
    lines: list[list[Word]] = []
    bounds: list[tuple[int, float, float]] = []
    for word in ordered:
        if lines:
            page, top, bottom = bounds[-1]
            overlap = min(bottom, word.bottom) - max(top, word.top)
            smaller = min(bottom - top, word.bottom - word.top) or 1.0
            if page == word.page and overlap >= 0.5 * smaller:
                lines[-1].append(word)
                bounds[-1] = (page, min(top, word.top), max(bottom, word.bottom))
                continue
        lines.append([word])
        bounds.append((word.page, word.top, word.bottom))
    return [Line(p, t, b, tuple(sorted(ws, key=lambda w: w.x0))) for ws, (p, t, b) in zip(lines, bounds, strict=True)]


def without_running_lines(lines: Sequence[Line], edge: int = 2) -> list[Line]:
    """Lines without the page header and footer a word processor repeats on (nearly) every page: among the first
    and last ``edge`` lines of each page, a text (its numbers aside: "Sida 2 av 6") at the same height on all
    pages but one at most, three at least."""
    pages: dict[int, list[Line]] = {}
    for line in lines:
        pages.setdefault(line.page, []).append(line)
    if len(pages) < 3:
        return list(lines)
    seen: dict[str, list[Line]] = {}
    for page_lines in pages.values():
        for line in {id(ln): ln for ln in page_lines[:edge] + page_lines[-edge:]}.values():
            seen.setdefault(_DIGITS.sub("#", " ".join(w.text for w in line.words)), []).append(line)
    drop = set()
    for same in seen.values():
        tops = sorted(ln.top for ln in same)
        if len({ln.page for ln in same}) >= max(3, len(pages) - 1) and tops[-1] - tops[0] <= 3.0:
            drop.update(id(ln) for ln in same)
    return [line for line in lines if id(line) not in drop]


def words_bbox(words: Sequence[Word]) -> BBox:
    """The box around words (all on one page)."""
    return (min(w.x0 for w in words), min(w.top for w in words), max(w.x1 for w in words),
            max(w.bottom for w in words))


def lines_text(lines: Sequence[Line], *, paragraph_gap: float = 1.6) -> str:
    """Text of lines: words joined by spaces, a line break where a vertical gap or a page starts a paragraph, and
    ``WRAP`` between the lines of one paragraph (a break the print made: assemble joins them, line-end hyphens
    without a space)."""
    out: list[str] = []
    previous: Line | None = None
    for line in lines:
        text = " ".join(w.text for w in line.words)
        if previous is not None:
            gap = line.top - previous.bottom
            new_paragraph = (line.page != previous.page and not _ends_in_word_hyphen(previous)
                             or line.page == previous.page and gap > paragraph_gap * max(previous.height, 1.0) * 0.5)
            out.append("\n" if new_paragraph else WRAP)
        out.append(text)
        previous = line
    return "".join(out)


def _ends_in_word_hyphen(line: Line) -> bool:
    """Whether a line ends inside a hyphenated word ("e-"): the next line, even on the next page, continues it."""
    last = line.words[-1].text if line.words else ""
    return len(last) >= 2 and last.endswith("-") and last[-2].isalnum()


def tight_lines(lines: Sequence[Line], gap_factor: float = 1.0) -> list[Line]:
    """The first lines that follow each other closely (one value wrapped over lines), up to a wider gap."""
    kept: list[Line] = []
    for line in lines:
        if kept:
            prev = kept[-1]
            if line.page != prev.page or line.top - prev.bottom > gap_factor * max(prev.height, 1.0):
                break
        kept.append(line)
    return kept


def nearest_column(x: float, centres: Sequence[float], reach: float) -> int | None:
    """Index of the column centre nearest to x, or None when none is within ``reach`` points."""
    best: int | None = None
    best_distance = reach
    for i, centre in enumerate(centres):
        distance = abs(x - centre)
        if distance <= best_distance:
            best, best_distance = i, distance
    return best


def column_reach(centres: Sequence[float]) -> float:
    """How far from a column centre a value may stand: just under half the narrowest gap between columns."""
    ordered = sorted(centres)
    gaps = [b - a for a, b in zip(ordered, ordered[1:], strict=False)]
    return 0.55 * min(gaps) if gaps else 40.0


def cell_run(line: Line, left: float) -> Line:
    """The words of a line that belong to a left-aligned cell starting at ``left``: a run of words from the cell's
    edge that stops at the first gap as wide as a column gap (a neighbouring cell's text, its label lost)."""
    height = max(line.height, 1.0)
    kept: list[Word] = []
    for word in line.words:
        previous = kept[-1].x1 if kept else left
        if word.x0 - previous > 1.5 * height:
            break
        kept.append(word)
    return Line(line.page, line.top, line.bottom, tuple(kept))


def mark_precedes(mark: Word, option: Word, line: Sequence[Word]) -> bool:
    """Whether a mark stands right before an option's first word: no other word between them (options printed
    side by side, "☒ Ja  ☐ Nej", each own the mark just before them)."""
    return not any(mark.x1 - 1 <= w.x0 and w.x1 <= option.x0 + 1 and w is not mark and w is not option
                   for w in line)


def same_line(a: Word, b: Word) -> bool:
    """Whether two words stand on one text line (they overlap half the smaller height)."""
    overlap = min(a.bottom, b.bottom) - max(a.top, b.top)
    return a.page == b.page and overlap >= 0.5 * max(min(a.bottom - a.top, b.bottom - b.top), 0.1)


def adjacent(a: Word, b: Word, word_gap: float = 0.75) -> bool:
    """Whether ``b`` continues ``a``'s text on its line: to its right, no wider apart than a word space (a
    monospaced one is 0.6 em; cells of a table stand further apart; narrow ones may not: ``word_gap`` in em)."""
    return same_line(a, b) and -1.0 <= b.x0 - a.x1 <= word_gap * max(a.bottom - a.top, 1.0)


def stands_alone(words: Sequence[Word], first: int, last: int, word_gap: float = 0.75) -> bool:
    """Whether words[first..last] hold a whole cell's text on their lines: neither the word before nor the
    word after (in reading order) continues it."""
    before = first > 0 and adjacent(words[first - 1], words[first], word_gap)
    after = last + 1 < len(words) and adjacent(words[last], words[last + 1], word_gap)
    return not before and not after


def column_cell(words: Sequence[Word], start: int, stop: int, limit: int, word_gap: float = 0.75) -> list[int]:
    """Indices of the words of the table cell that words[start] begins, in reading order: the words that
    continue it on its line, then on each line just below those overlapping the cell's width. Cells side
    by side interleave their wrapped lines in reading order; their words are passed over."""
    first = words[start]
    height = max(first.bottom - first.top, 1.0)
    picked = [start]
    x0, x1 = first.x0, first.x1
    last = first
    for i in range(start + 1, min(stop, len(words))):
        if len(picked) >= limit:
            break
        w = words[i]
        if w.page != first.page or w.top - last.bottom > 1.2 * height:
            break
        if same_line(w, last):
            take = adjacent(last, w, word_gap)
        else:
            take = w.top >= last.bottom - 0.3 * height and w.x1 >= x0 - 2 and w.x0 <= x1 + 2
        if take:
            picked.append(i)
            x0, x1, last = min(x0, w.x0), max(x1, w.x1), w
    return picked


@dataclass(frozen=True)
class Anchor:
    """A label found in the document: its id, the words it covers and their place in the word stream."""

    id: str
    first: int
    last: int
    words: tuple[Word, ...]
    ids: tuple[int, ...] = ()

    @property
    def page(self) -> int:
        """The page of the label's first word."""
        return self.words[0].page

    @property
    def top(self) -> float:
        """Top of the label's first word."""
        return self.words[0].top

    @property
    def bottom(self) -> float:
        """Bottom of the label's lowest word on its first page."""
        return max(w.bottom for w in self.words if w.page == self.page)

    @property
    def left(self) -> float:
        """Left edge of the label's words on its first page."""
        return min(w.x0 for w in self.words if w.page == self.page)


LABEL_COLUMN_SLACK = 60.0  # points a grid's row label may stand off its first row's (indented sub-rows)


def in_label_column(anchor: Anchor, first: Anchor) -> bool:
    """Whether a grid row's label stands in the label column the grid's first row label opened: its left edge
    within LABEL_COLUMN_SLACK points (or six of its word heights) of the first row's."""
    height = anchor.words[0].bottom - anchor.words[0].top
    return abs(anchor.left - first.left) <= max(LABEL_COLUMN_SLACK, 6 * height)


def line_texts(lines: Sequence[Line]) -> list[str]:
    """Each line's words joined by spaces."""
    return [" ".join(w.text for w in line.words) for line in lines]


def email_lines(lines: Sequence[Line]) -> list[Line]:
    """The lines of one e-mail address wrapped by a narrow cell: up to the first that completes it."""
    kept: list[Line] = []
    for line in lines:
        kept.append(line)
        if is_valid_email(join_wrapped(line_texts(kept), "email")):
            return kept
    return list(lines)


# ---------------------------------------------------------------------------------- labels among words


def match_words(stream: Stream, label: tuple[str, ...], tok_start: int, tok_end: int | None,
                alone: bool = False) -> list[int]:
    """The words of the first match of a label in the stream; with ``alone`` the first match that is a whole
    cell (a grid row's label: neither part of a sentence nor of a longer label)."""
    m = find_label(label, stream.seq, tok_start, tok_end)
    while m is not None:
        ids = sorted({stream.word_of[t] for t in m.matched})
        end = m.end
        if m.score < 1.0:  # a label that drifted: its changed words are the label's too
            ids = drifted_span(stream.words, ids, len(label) - round(m.score * len(label)))
            end = stream.first_token[ids[-1] + 1]
        if not alone or (stream.first_token[ids[0]] == m.start and stream.first_token[ids[-1] + 1] == end
                         and stands_alone(stream.words, ids[0], ids[-1])):
            return ids
        m = find_label(label, stream.seq, m.start + 1, tok_end)
    return []


def drifted_span(words: Sequence[Word], ids: Sequence[int], missing: int) -> list[int]:
    """The words of a label found with ``missing`` of its words changed or lost: the matched words, the words
    between them that continue them on their line (a changed word), and up to ``missing`` words with letters that
    continue the last one on its line (a changed last word); never past a colon, where an inline answer starts."""
    picked = set(ids)
    for i in range(ids[0] + 1, ids[-1]):
        if i not in picked and i - 1 in picked and adjacent(words[i - 1], words[i]) and \
                any(j in picked and all(adjacent(words[k], words[k + 1]) for k in range(i, j))
                    for j in range(i + 1, min(ids[-1], i + missing) + 1)):
            picked.add(i)
    last = max(picked)
    while missing > 0 and last + 1 < len(words) and not words[last].text.endswith(":") \
            and adjacent(words[last], words[last + 1]) and any(ch.isalpha() for ch in words[last + 1].text):
        last += 1
        missing -= 1
        picked.add(last)
    return sorted(picked)


def find_words(stream: Stream, label: tuple[str, ...], tok_start: int, tok_end: int | None, *, alone: bool = False,
               own_line: bool = False) -> list[int]:
    """A label's words: the first match; ``alone``: the first that is a whole cell (a grid's row); ``own_line``:
    preferably one on its own line(s), as headings and notes are printed (their words inside a text above are
    not them), and of the same line repeated right below it the last ("Handledning." answered, then the heading)."""
    word_ids = (match_words(stream, label, tok_start, tok_end, alone or own_line)
                or (match_words(stream, label, tok_start, tok_end) if own_line else [])
                or find_wrapped(stream, label, tok_start, tok_end))
    if own_line and word_ids and matched_tokens(stream, word_ids) != label:
        # a heading matched only nearly ("Handledningen sker …" opening an answer for "Handledning"): its
        # exact print on a line of its own just below wins
        start = stream.first_token[word_ids[-1] + 1]
        window = start + EXACT_HEADING_WINDOW
        exact = match_words(stream, label, start, window if tok_end is None else min(window, tok_end), True)
        if exact and matched_tokens(stream, exact) == label:
            word_ids = exact
    while own_line and word_ids:
        again = match_words(stream, label, stream.first_token[word_ids[-1] + 1], tok_end, True)
        if not again or again[0] != word_ids[-1] + 1:
            break
        word_ids = again
    return word_ids


EXACT_HEADING_WINDOW = 60  # tokens after a heading's near match searched for its exact print


def matched_tokens(stream: Stream, word_ids: Sequence[int]) -> tuple[str, ...]:
    """The comparable tokens of a match's words (as the stream holds them)."""
    return tuple(t for i in word_ids for t in stream.seq[stream.first_token[i]:stream.first_token[i + 1]])


def find_wrapped(stream: Stream, label: tuple[str, ...], tok_start: int, tok_end: int | None) -> list[int]:
    """A label wrapped inside a narrow cell, its lines interleaved with neighbouring cells' text (a grid row's
    values on its first line): its head ends its cell, its tail stands on the lines below the head."""
    words = stream.words
    for split in range(len(label) - 1, 0, -1):  # a head of one word too ("Telefon" / "(inkl. riktnummer)")
        head = find_label(label[:split], stream.seq, tok_start, tok_end, threshold=1.0)
        if head is None:
            continue
        head_ids = sorted({stream.word_of[t] for t in head.matched})
        first, last, nxt = words[head_ids[0]], words[head_ids[-1]], head_ids[-1] + 1
        if nxt < len(words) and adjacent(last, words[nxt]):
            continue  # the head does not end its cell: not a wrap
        reach = last.bottom + (len(label) - split + 1) * 1.3 * (last.bottom - last.top)
        # the tail's words start within the head's width, or end before the next cell's text on its line
        right = words[nxt].x0 if nxt < len(words) and same_line(last, words[nxt]) else first.x0
        below = [i for i in range(nxt, min(len(words), nxt + 200))
                 if words[i].page == last.page and last.bottom - 1 <= words[i].top <= reach
                 and first.x0 - 4 <= words[i].x0
                 and (words[i].x0 <= max(last.x1, first.x0 + 4) or words[i].x1 <= right)]
        owner = [i for i in below for _ in tokens(words[i].text)]
        tail = find_label(label[split:], tuple(t for i in below for t in tokens(words[i].text)), 0)
        if tail is not None and tail.start == 0:
            return head_ids + sorted({owner[t] for t in tail.matched})
    return []


def header_words(words: Sequence[Word], label: tuple[str, ...], lo: int, hi: int, claimed: set[int],
                 latest: bool, word_gap: float = 0.75) -> list[int]:
    """A column header among words[lo:hi]: a whole cell, maybe wrapped within its column while neighbouring
    headers' lines interleave; the last such cell (nearest the grid's rows) when ``latest``."""
    need = required_score(len(label))
    for i in range(hi - 1, lo - 1, -1) if latest else range(lo, hi):
        if i in claimed or not tokens(words[i].text):
            continue
        cell = [j for j in column_cell(words, i, hi, len(label) + 4, word_gap) if j not in claimed]
        owner = [j for j in cell for _ in tokens(words[j].text)]
        m = match_at(label, tuple(t for j in cell for t in tokens(words[j].text)), 0)
        if m is not None and m.score >= need:
            ids = sorted({owner[t] for t in m.matched})
            if stands_alone(words, ids[0], ids[-1], word_gap):
                return ids
    return []


HEADER_WORD_GAPS = (0.75, 0.3)  # word spaces (in line heights) joining a header's words on a line: usual, tight


def header_set(words: Sequence[Word], labels: Sequence[tuple[str, str]], lo: int, hi: int,
               latest: bool, word_gaps: Sequence[float] = HEADER_WORD_GAPS) -> dict[str, list[int]]:
    """The words of each column header found among words[lo:hi], longest headers first: "Om ja, ange
    vilken/vilka" holds the word of the header "Ja". Columns do not overlap: when headers found so overlap or
    some are missing (narrow columns: "Antal Antal" / "kvinnor män" read as one cell), they are looked for again
    with only a tight word space joining words on a line."""
    best: dict[str, list[int]] = {}
    best_gap = word_gaps[0]
    for word_gap in word_gaps:
        claimed: set[int] = set()
        found: dict[str, list[int]] = {}
        for value, label in sorted(labels, key=lambda item: -len(tokens(item[1]))):
            ids = header_words(words, tokens(label), lo, hi, claimed, latest, word_gap)
            if ids:
                found[value] = ids
                claimed.update(ids)
        if _overlapping([[words[i] for i in ids] for ids in found.values()]):
            continue
        if len(found) == len(labels):
            return found
        if len(found) > len(best) or not best and word_gap == word_gaps[0]:
            best, best_gap = found, word_gap
    claimed = {i for ids in best.values() for i in ids}
    with_abbreviations = dict(best)
    for value, label in labels:  # then headers abbreviated ("Kv", "M"), when the abbreviation is unambiguous
        others = [tokens(other) for v, other in labels if v != value]
        ids = [] if value in best else abbreviated_header(words, tokens(label), others, lo, hi, claimed, latest,
                                                          best_gap)
        if ids:
            with_abbreviations[value] = ids
            claimed.update(ids)
    overlap = _overlapping([[words[i] for i in ids] for ids in with_abbreviations.values()])
    return best if overlap else with_abbreviations


def abbreviates(cell: Sequence[str], label: Sequence[str], others: Sequence[Sequence[str]]) -> bool:
    """Whether a header cell's tokens abbreviate a column label unambiguously: each the start of a label word, in
    order, one of them a word that tells the column from the others ("Kv" for "Antal kvinnor" beside "Antal
    män"), and the cell abbreviates no other column's label."""
    def fits(lab: Sequence[str]) -> bool:
        shared = set(lab).intersection(*map(set, others)) if others else set()
        j, telling = 0, False
        for tok in cell:
            while j < len(lab) and not lab[j].startswith(tok):
                j += 1
            if j == len(lab):
                return False
            telling = telling or lab[j] not in shared
            j += 1
        return telling

    return bool(cell) and len(cell) <= len(label) and fits(label) and \
        not any(abbreviates_plain(cell, other) for other in others)


def abbreviates_plain(cell: Sequence[str], label: Sequence[str]) -> bool:
    """Whether each token of ``cell`` starts a word of ``label``, in order."""
    j = 0
    for tok in cell:
        while j < len(label) and not label[j].startswith(tok):
            j += 1
        if j == len(label):
            return False
        j += 1
    return True


def abbreviated_header(words: Sequence[Word], label: tuple[str, ...], others: Sequence[Sequence[str]], lo: int,
                       hi: int, claimed: set[int], latest: bool, word_gap: float = 0.75) -> list[int]:
    """A column header printed abbreviated (see ``abbreviates``): a whole cell among words[lo:hi], the last such
    (nearest the grid's rows) when ``latest``."""
    for i in range(hi - 1, lo - 1, -1) if latest else range(lo, hi):
        if i in claimed or not tokens(words[i].text):
            continue
        cell = [j for j in column_cell(words, i, hi, len(label), word_gap) if j not in claimed]
        cell_tokens = [t for j in cell for t in tokens(words[j].text)]
        if abbreviates(cell_tokens, label, others) and stands_alone(words, cell[0], cell[-1], word_gap):
            return cell
    return []


def _overlapping(cells: Sequence[Sequence[Word]]) -> bool:
    """Whether two cells' boxes (on their first word's page) overlap horizontally."""
    spans = sorted((min(w.x0 for w in c if w.page == c[0].page), max(w.x1 for w in c if w.page == c[0].page))
                   for c in cells if c)
    return any(b0 < a1 - 1.0 for (_, a1), (b0, _) in zip(spans, spans[1:], strict=False))


def without_label_colon(words: list[Word]) -> list[Word]:
    """A value's words without the colon printed after its label (split from the label by a footnote mark)."""
    if words and set(words[0].text) == {":"}:
        return words[1:]
    return words


class PageIndex:
    """Words of each page by vertical centre, for the words of a band."""

    def __init__(self, words: Sequence[Word]) -> None:
        by_page: dict[int, list[tuple[float, int]]] = {}
        for i, w in enumerate(words):
            by_page.setdefault(w.page, []).append((w.yc, i))
        self.pages = {p: (tuple(y for y, _ in v), tuple(i for _, i in v))
                      for p, v in ((p, sorted(v)) for p, v in by_page.items())}

    def band(self, page: int, top: float, bottom: float) -> tuple[int, ...]:
        """Indices of the words of a page whose vertical centre lies in [top, bottom)."""
        ys, ids = self.pages.get(page, ((), ()))
        return ids[bisect.bisect_left(ys, top):bisect.bisect_left(ys, bottom)]


def value_text(lines: Sequence[Line], kind: str = "text") -> str:
    """A value's raw text from its lines: an e-mail address or phone number joined as a narrow cell wrapped it,
    a list typed one item per line kept apart (unless commas separate its items), else text in paragraphs."""
    if kind in ("email", "phone"):
        return join_wrapped(line_texts(lines), kind)
    if kind == "cell":  # a narrow cell's lines: one paragraph
        return WRAP.join(line_texts(lines))
    if kind == "list" and not any(ch in text for text in line_texts(lines) for ch in ",;"):
        return "\n".join(line_texts(lines))
    return lines_text(lines)


def cell_bounds(label: Anchor, labels: Sequence[Anchor], after: Anchor | None) -> tuple[float, float]:
    """Right edge and floor of the cell below a label: up to the next label on its line, down to the next line of
    labels (or the next label after the cells). Printed rows need not be the form's: 2 or 1 cells a row."""
    head, page = label.words[0], label.page
    right = min((a.left for a in labels if a.page == page and same_line(a.words[0], head) and a.left > label.left + 1),
                default=10_000.0) - 3
    floors = [a.top for a in labels if a.page == page and a.top > head.bottom]
    if not floors and after is not None and after.page == page:
        floors.append(after.top)
    return right, min(floors, default=10_000.0)


def column_centre(header: Anchor) -> float:
    """A column's centre: the middle of its header's words on the header's page."""
    box = words_bbox([w for w in header.words if w.page == header.page])
    return (box[0] + box[2]) / 2


def repeated_headers(words: Sequence[Word], labels: Sequence[tuple[str, str]], lo: int,
                     found: dict[str, list[int]]) -> list[dict[str, list[int]]]:
    """Whole header rows printed again above the one found (the page broke between a grid's header and its rows,
    and the printer repeated the header): each a complete set of the headers, on one page, a few lines high."""
    copies = []
    # the copies are printed like the row found: with its word spacing (text above the grid is not a header row)
    gap = next((g for g in HEADER_WORD_GAPS if all(stands_alone(words, ids[0], ids[-1], g) for ids in found.values())),
               HEADER_WORD_GAPS[-1])
    while found and len(copies) < 3:
        found = header_set(words, labels, lo, min(i for ids in found.values() for i in ids), latest=True,
                           word_gaps=(gap,))
        heads = [words[i] for ids in found.values() for i in ids]
        if (len(found) < len(labels) or len({w.page for w in heads}) > 1
                or max(w.top for w in heads) - min(w.top for w in heads) > 8 * (heads[0].bottom - heads[0].top)):
            break
        copies.append(found)
    return copies
