"""The Kontaktorsaker bar chart (Figur 1) as a PNG, drawn with matplotlib (headless Agg backend)."""

from __future__ import annotations

import io

from formgen.report.model import Chart

# Colours that stay apart in grey print and for colour-blind readers (Okabe–Ito blue and orange).
_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7")


def chart_png(chart: Chart, *, dpi: int = 150) -> bytes:
    """Horizontal grouped bars, one group per category (in the form's order, top to bottom), one bar per series."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure  # the object API: no global pyplot state, safe in threads
    from matplotlib.ticker import MaxNLocator

    n = len(chart.categories)
    k = max(1, len(chart.series))
    height = 0.8 / k
    fig = Figure(figsize=(7.0, 0.45 * n + 1.2), dpi=dpi)
    ax = fig.add_subplot()
    positions = list(range(n))
    for s, (label, values) in enumerate(chart.series):
        offsets = [p - 0.4 + height * (s + 0.5) for p in positions]
        ax.barh(offsets, values, height=height, label=label, color=_COLOURS[s % len(_COLOURS)])
    ax.set_yticks(positions, labels=list(chart.categories))
    ax.invert_yaxis()
    ax.xaxis.grid(True, color="#dddddd")
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
    ax.xaxis.set_major_formatter(lambda x, _pos: f"{int(x):,}".replace(",", "\u00a0"))
    if chart.series:
        ax.legend(loc="lower right", frameon=False)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()
