"""Every table of the report computed from the gathered verksamheter, as plain typed data (exact figures).

Which record keys a table reads comes from ``report.sv.yaml`` (sources) and the form itself (formgen.report.parts).
Counts of persons carry the reported figures they add up (atoms) so that publishing can mask them
(formgen.report.mask).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from formgen.places import kommuner_in, match_kommun, swedish_sort_key
from formgen.report.cells import (
    EMPTY,
    amount,
    combine,
    count,
    decimal_value,
    fte,
    int_value,
    persons,
    text,
    text_value,
)
from formgen.report.gather import Gathered, Verksamhet
from formgen.report.model import Cell, Chart, Column, Row, Table
from formgen.report.parts import Scope, form_parts
from formgen.report.wording import Wording
from formgen.spec import FormSpec

# -- the tables --------------------------------------------------------------------------------------------------



class TableBuilder:
    """Builds every table of one report."""

    def __init__(self, gathered: Gathered, scope: Scope, form: FormSpec, wording: Wording) -> None:
        self.gathered = gathered
        self.scope = scope
        self.form = form
        self.year = gathered.year
        self.w = wording
        self.parts = form_parts(form, self.year, wording)
        self.all = gathered.verksamheter
        self.ours = tuple(v for v in self.all if scope.includes(v))
        self._number = 0
        self.yes, self.no = wording.answer("selected"), wording.answer("missing")
        self.tables: list[Table] = []

    # helpers
    def col(self, cid: str, kind: str = "text", heading: str | None = None) -> Column:
        return Column(cid, heading if heading is not None else self.w.column(cid, ar=self.year, prev=self.year - 1),
                      kind)  # type: ignore[arg-type]

    def gender_cols(self) -> list[Column]:
        return [Column(g.value, g.label, "persons") for g in self.parts.genders]

    def add(self, table_id: str, columns: Sequence[Column], rows: Sequence[Row]) -> Table:
        tw = self.w.table(table_id)
        self._number += 1
        variables = {"ar": self.year, "prev": self.year - 1}
        table = Table(
            id=table_id,
            number=self._number,
            heading=self.w.render(tw.heading, **variables),
            caption=self.w.render(tw.caption, **variables),
            sheet=tw.sheet,
            columns=tuple(columns),
            rows=tuple(rows),
            note=self.w.render(tw.note, **variables) if tw.note else None,
        )
        self.tables.append(table)
        return table

    def name_of(self, v: Verksamhet) -> str:
        return v.organisation

    def lan_name(self, v: Verksamhet) -> str:
        return v.lan.name if v.lan else self.w.row("okant_lan")

    def groups(self) -> list[tuple[str, tuple[Verksamhet, ...]]]:
        """Breakdown rows: per län (national report) or per verksamhet (county report)."""
        if not self.scope.national:
            return [(self.name_of(v), (v,)) for v in self.ours]
        groups = [(lan.name, tuple(v for v in self.ours if v.lan and v.lan.code == lan.code))
                  for lan in self.scope.lans()]
        groups = [g for g in groups if g[1]]
        unknown = tuple(v for v in self.ours if v.lan is None)
        if unknown:
            groups.append((self.w.row("okant_lan"), unknown))
        return groups

    def choice_label(self, key: str, value: object) -> str:
        if value is None:
            return self.w.heading("not_answered")
        for choice in self.parts.choice_labels.get(key, ()):
            if choice.value == value:
                return choice.short or choice.label
        return str(value)

    # Tabell 1
    def omfattning(self) -> None:
        covered_now = {k.code for v in self.all for k in v.covered}
        previous = self.gathered.previous
        rows: list[Row] = []
        sums = [0, 0, 0]
        changes: list[int | None] = []
        for lan in self.scope.lans():
            kommuner = kommuner_in(lan)
            with_po = sum(1 for k in kommuner if k.code in covered_now)
            n_verksamheter = sum(1 for v in self.all if v.lan and v.lan.code == lan.code)
            change: int | None = None
            if previous is not None and lan.code in previous.lan_codes:
                change = with_po - sum(1 for k in kommuner if k.code in previous.covered)
            changes.append(change)
            sums = [sums[0] + len(kommuner), sums[1] + with_po, sums[2] + n_verksamheter]
            rows.append(Row((text(lan.name), count(len(kommuner)), count(with_po), Cell(change),
                             count(n_verksamheter))))
        if self.scope.national:
            unknown = sum(1 for v in self.all if v.lan is None)
            if unknown:
                rows.append(Row((text(self.w.row("okant_lan")), EMPTY, EMPTY, EMPTY, count(unknown))))
                sums[2] += unknown
            total_change = sum(c for c in changes if c is not None) if all(c is not None for c in changes) else None
            rows.append(Row((text(self.w.row("total")), count(sums[0]), count(sums[1]), Cell(total_change),
                             count(sums[2])), total=True))
        self.add("omfattning", [self.col("lan"), self.col("antal_kommuner", "count"),
                                self.col("kommuner_med_po", "count"), self.col("forandring", "change"),
                                self.col("verksamheter", "count")], rows)

    def kommuner_utan_redovisning(self) -> None:
        own = {v.kommun.code for v in self.all if v.kommun is not None}
        covering: dict[str, list[str]] = {}
        for v in self.all:
            for k in v.ovriga:
                covering.setdefault(k.code, []).append(self.name_of(v))
        rows: list[Row] = []
        for lan in self.scope.lans():
            for kommun in kommuner_in(lan):
                if kommun.code in own:
                    continue
                by = covering.get(kommun.code)
                rows.append(Row((text(lan.name), text(kommun.name),
                                 text("; ".join(sorted(by, key=swedish_sort_key)) if by else self.w.row("ingen")))))
        self.add("kommuner_utan_redovisning", [self.col("lan"), self.col("kommun"), self.col("omfattas_av")], rows)

    def utforare(self) -> None:
        kommun_key = self.w.source("utforare_kommun")
        name_key = self.w.source("annan_utforare_namn")
        rows = []
        for v in self.ours:
            kinds = [label for key, label in self.parts.utforare if key != kommun_key and v.record.get(key) == self.yes]
            if kinds:
                rows.append(Row((text(text_value(v, name_key)), text(", ".join(kinds)), text(self.name_of(v)),
                                 text(self.lan_name(v)))))
        self.add("utforare", [self.col("namn"), self.col("organisationstyp"), self.col("verksamhet"),
                              self.col("lan")], rows)

    def ombud(self) -> None:
        prefix = self.w.source("ombud_antal")
        fte_key = self.w.source("ombud_tjanster")
        keys = [f"{prefix}.{g.value}" for g in self.parts.genders]
        first = self.col("lan") if self.scope.national else self.col("verksamhet")

        def row(label: str, group: Sequence[Verksamhet], total: bool = False) -> Row:
            cells = [persons(group, [k]) for k in keys]
            return Row((text(label), *cells, combine(cells), fte(group, fte_key)), total=total,
                       marked=not total and not self.scope.national and group[0].status == "errors")

        rows = [row(label, group) for label, group in self.groups()]
        rows.append(row(self.w.row("total"), self.ours, total=True))
        self.add("ombud", [first, *self.gender_cols(), self.col("total", "persons"), self.col("tjanster", "fte")],
                 rows)

    def klienter(self) -> None:
        base = self.w.source("klienter_totalt")
        bands = self.parts.klienter_bands
        rows = []
        per_gender: list[list[Cell]] = []
        for g in self.parts.genders:
            cells = [persons(self.ours, [f"{b.key}.{g.value}"]) for b in bands]
            reported = persons(self.ours, [f"{base}.{g.value}"])
            summa = Cell(reported.value, reported.atoms.union(*(c.atoms for c in cells)))
            per_gender.append([*cells, summa])
            rows.append(Row((text(g.label), *cells, summa)))
        totals = [combine(column) for column in zip(*per_gender, strict=True)]
        rows.append(Row((text(self.w.row("kvinnor_man_total")), *totals), total=True))
        band_cols = [Column(b.key.rsplit(".", 1)[-1],
                            self.w.heading("age_bands", b.key.rsplit(".", 1)[-1], b.label), "persons") for b in bands]
        self.add("klienter", [self.col("kon"), *band_cols, self.col("summa", "persons")], rows)

    def klientflode(self) -> None:
        rows = []
        for prefix in self.w.source("klienter_flow"):
            cells = [persons(self.ours, [f"{prefix}.{g.value}"]) for g in self.parts.genders]
            rows.append(Row((text(self.w.heading("klienter_flow", prefix)), *cells, combine(cells))))
        self.add("klientflode", [self.col("kategori"), *self.gender_cols(), self.col("total", "persons")], rows)

    def kontaktorsaker(self) -> None:
        rows = []
        per_gender: list[list[Cell]] = [[] for _ in self.parts.genders]
        for reason in self.parts.kontaktorsaker:
            cells = [persons(self.ours, [f"{reason.key}.{g.value}"]) for g in self.parts.genders]
            for i, c in enumerate(cells):
                per_gender[i].append(c)
            rows.append(Row((text(reason.label), *cells, combine(cells))))
        gender_totals = [combine(c) for c in per_gender]
        rows.append(Row((text(self.w.row("total")), *gender_totals, combine(gender_totals)), total=True))
        self.add("kontaktorsaker", [self.col("orsak"), *self.gender_cols(), self.col("total", "persons")], rows)

    def tillgang(self) -> None:
        rows = []
        n = len(self.ours)
        for name in ("ko", "prioritering"):
            key = self.w.source(name)
            values = [v.record.get(key) for v in self.ours]
            options: list[object] = [c.value for c in self.parts.choice_labels.get(key, ())] + [None]
            for option in options:
                k = sum(1 for x in values if x == option)
                if option is None and k == 0:
                    continue
                rows.append(Row((text(self.w.heading(name)), text(self.choice_label(key, option)), count(k),
                                 Cell(Decimal(k) / n if n else None))))
        self.add("tillgang", [self.col("fraga"), self.col("svar"), self.col("antal_verksamheter", "count"),
                              self.col("andel", "percent")], rows)

    def ledningsgrupp(self) -> None:
        members = self.parts.required_members
        n = len(self.ours)
        rows = []
        for key, label in members:
            missing = sum(1 for v in self.ours if v.record.get(key) == self.no)
            unanswered = sum(1 for v in self.ours if v.record.get(key) is None)
            rows.append(Row((text(label), count(missing), count(unanswered),
                             Cell(Decimal(missing) / n if n else None))))
        any_missing = sum(1 for v in self.ours if any(v.record.get(k) == self.no for k, _ in members))
        any_unanswered = sum(1 for v in self.ours if any(v.record.get(k) is None for k, _ in members))
        rows.append(Row((text(self.w.row("saknar_en_eller_flera")), count(any_missing), count(any_unanswered),
                         Cell(Decimal(any_missing) / n if n else None)), total=True))
        self.add("ledningsgrupp_saknas", [self.col("representant"), self.col("saknar_antal", "count"),
                                          self.col("ej_besvarat", "count"), self.col("andel", "percent")], rows)
        detail = []
        for v in self.ours:
            missing_labels = [label for k, label in members if v.record.get(k) == self.no]
            unanswered_labels = [label for k, label in members if v.record.get(k) is None]
            orgs = []
            for key, label, text_key in self.parts.organisationer:
                if v.record.get(key) == self.yes:
                    which = text_value(v, text_key) if text_key else None
                    orgs.append(f"{label} ({which})" if which else label)
            detail.append(Row((text(self.name_of(v)), text(", ".join(missing_labels) or None),
                               text(", ".join(unanswered_labels) or None), text("; ".join(orgs) or None)),
                              marked=v.status == "errors"))
        self.add("ledningsgrupp", [self.col("verksamhet"), self.col("saknas"), self.col("ej_besvarat"),
                                   self.col("organisationer")], detail)

    def brister(self) -> None:
        rutiner = self.w.source("rutiner")
        rows = [Row((text(self.name_of(v)), text(self.choice_label(rutiner, v.record.get(rutiner))),
                     text(text_value(v, self.w.source("brister"))), text(text_value(v, self.w.source("atgarder")))),
                    marked=v.status == "errors") for v in self.ours]
        self.add("brister", [self.col("verksamhet"), Column("rutiner", self.w.heading("rutiner")),
                             self.col("brister"), self.col("atgarder")], rows)

    def ekonomi(self) -> None:
        b, f = self.w.source("beviljat_kr"), self.w.source("forbrukat_kr")
        ba, fa = self.w.source("beviljade_arsanstallningar"), self.w.source("forbrukade_arsanstallningar")
        lead = [self.col("verksamhet")] + ([self.col("lan")] if self.scope.national else [])

        def diff(v: Verksamhet) -> int | None:
            x, y = int_value(v, b), int_value(v, f)
            return x - y if x is not None and y is not None else None

        rows = []
        for v in self.ours:
            head = [text(self.name_of(v))] + ([text(self.lan_name(v))] if self.scope.national else [])
            rows.append(Row((*head, Cell(int_value(v, b)), Cell(int_value(v, f)), Cell(diff(v)),
                             Cell(decimal_value(v, ba)), Cell(decimal_value(v, fa))), marked=v.status == "errors"))
        diffs = [d for d in (diff(v) for v in self.ours) if d is not None]
        head = [text(self.w.row("total"))] + ([EMPTY] if self.scope.national else [])
        rows.append(Row((*head, amount(self.ours, b), amount(self.ours, f), Cell(sum(diffs) if diffs else None),
                         fte(self.ours, ba), fte(self.ours, fa)), total=True))
        self.add("ekonomi", [*lead, self.col("beviljat", "kr"), self.col("forbrukat", "kr"),
                             self.col("differens", "kr"), self.col("beviljade_arsanstallningar", "fte"),
                             self.col("forbrukade_arsanstallningar", "fte")], rows)

    def per_verksamhet(self) -> None:
        genders = [g.value for g in self.parts.genders]
        ombud = self.w.source("ombud_antal")
        klienter = self.w.source("klienter_totalt")
        flow = self.w.source("klienter_flow")
        nya, avslutade = flow[1], flow[2]
        b, f = self.w.source("beviljat_kr"), self.w.source("forbrukat_kr")
        lead = [self.col("verksamhet"), self.col("kommun")] + ([self.col("lan")] if self.scope.national else [])

        def figures(group: Sequence[Verksamhet]) -> list[Cell]:
            k_cells = [persons(group, [f"{klienter}.{g}"]) for g in genders]
            return [
                persons(group, [f"{ombud}.{g}" for g in genders]),
                fte(group, self.w.source("ombud_tjanster")),
                *k_cells,
                combine(k_cells),
                persons(group, [f"{nya}.{g}" for g in genders]),
                persons(group, [f"{avslutade}.{g}" for g in genders]),
                amount(group, b),
                amount(group, f),
            ]

        rows = []
        for v in self.ours:
            head = [text(self.name_of(v)), text(v.kommun.name if v.kommun else None)]
            if self.scope.national:
                head.append(text(self.lan_name(v)))
            kinds = [label for key, label in self.parts.utforare if v.record.get(key) == self.yes]
            ovriga = ", ".join([k.name for k in v.ovriga] + list(v.ovriga_unknown))
            rows.append(Row((*head, text(ovriga or None), text(", ".join(kinds) or None), *figures((v,))),
                            marked=v.status == "errors"))
        head = [text(self.w.row("total")), EMPTY] + ([EMPTY] if self.scope.national else [])
        rows.append(Row((*head, EMPTY, EMPTY, *figures(self.ours)), total=True))
        gender_heads = {"kvinnor": "klienter_kvinnor", "man": "klienter_man"}
        k_cols = [Column(f"klienter_{g.value}", self.w.column(gender_heads[g.value]) if g.value in gender_heads
                         else f"{self.w.column('kategori')} {g.label.lower()}", "persons") for g in self.parts.genders]
        self.add("per_verksamhet", [
            *lead, self.col("ovriga_kommuner"), self.col("utforare"), self.col("ombud", "persons"),
            self.col("tjanster", "fte"), *k_cols, self.col("klienter_totalt", "persons"), self.col("nya", "persons"),
            self.col("avslutade", "persons"), self.col("beviljat", "kr"), self.col("forbrukat", "kr")], rows)

    def datakvalitet(self) -> None:
        rows: list[Row] = []
        scope_lan = self.scope.lan

        def in_scope_name(name: str | None) -> bool:
            if scope_lan is None:
                return True
            kommun = match_kommun(name)
            return kommun is None or kommun.lan_code == scope_lan.code

        def add(path: str, organisation: str | None, problem: str) -> None:
            rows.append(Row((text(path), text(organisation), text(problem))))

        for v in self.all:
            placed_here = self.scope.includes(v)
            if v.kommun is None and (placed_here or v.lan is None):
                if v.lan is not None:
                    suffix = ""  # placed by its övriga kommuner, counted there
                elif self.scope.national:
                    suffix = self.w.quality("unknown_kommun_national")
                else:
                    suffix = self.w.quality("unknown_kommun_lan")
                add(v.path, v.organisation, self.w.quality("unknown_kommun", detail=suffix))
            if not placed_here:
                continue
            if v.status == "errors":
                add(v.path, v.organisation, self.w.quality("errors", n=len(v.errors), detail="; ".join(v.errors[:3])))
            if v.ovriga_unknown:
                add(v.path, v.organisation, self.w.quality("unknown_ovriga", detail=", ".join(v.ovriga_unknown)))
        for row in self.gathered.unreadable:
            reason = "; ".join(str(f.get("message", f.get("code", ""))) for f in row.findings_json) or row.status
            add(row.path, None, self.w.quality("unreadable", detail=reason))
        for row, reason in self.gathered.unparsable:
            if in_scope_name(row.kommun):
                add(row.path, row.kommun, self.w.quality("unparsable", detail=reason))
        for row, name in self.gathered.duplicates:
            if in_scope_name(row.kommun):
                add(row.path, row.kommun, self.w.quality("duplicate", detail=name))
        for row in self.gathered.superseded:
            if in_scope_name(row.kommun):
                add(row.path, row.kommun, self.w.quality("superseded"))
        self.add("datakvalitet", [self.col("fil"), self.col("verksamhet"), self.col("problem")], rows)

    def build(self) -> tuple[Table, ...]:
        steps: list[Callable[[], None]] = [
            self.omfattning, self.kommuner_utan_redovisning, self.utforare, self.ombud, self.klienter,
            self.klientflode, self.kontaktorsaker, self.tillgang, self.ledningsgrupp, self.brister, self.ekonomi,
            self.per_verksamhet, self.datakvalitet,
        ]
        for step in steps:
            step()
        return tuple(self.tables)


def chart_of(table: Table, title: str, file_name: str) -> Chart:
    """The bar chart of a table with a label column and one persons column per series (a total column and the
    totals row left out); a masked count is drawn as nothing."""
    body = [r for r in table.rows if not r.total]
    series_columns = [i for i, c in enumerate(table.columns) if c.kind == "persons" and c.id != "total"]
    series = tuple(
        (table.columns[i].heading,
         tuple(r.cells[i].value if isinstance(r.cells[i].value, int) and not r.cells[i].masked else 0 for r in body))
        for i in series_columns
    )
    return Chart(title=title, categories=tuple(str(r.cells[0].value) for r in body), series=series,
                 file_name=file_name)
