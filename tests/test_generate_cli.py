"""formgen.cli.generate_cmd and output names: generate (blank or pre-filled) and fill."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfReader

from formgen.cli.generate_cmd import fill, generate
from formgen.generate import blank_record, output_stem
from formgen.names import safe_stem as slugify
from formgen.record import record_from_json
from tests.helpers import SAMPLE_JSON, sample_record_json

SAMPLE_STEM = "spanga-tensta-stadsdelsforvaltning-stockholms-satd"


def test_slugs_are_safe_file_names() -> None:
    assert slugify("Spånga-Tensta Stadsdelsförvaltning, Stockholms satd") == SAMPLE_STEM
    assert slugify("Åre") == "are" and slugify("Malmö stad") == "malmo-stad"
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("a/b\\c..d") == "a-b-c-d"
    assert slugify("") == "okand" and slugify("...") == "okand" and slugify("東京") == "okand"
    assert len(slugify("Övertorneå " * 20)) <= 60
    assert output_stem(blank_record(2021), blank=True) == "blankett-2021"
    assert output_stem(record_from_json(sample_record_json())) == f"{SAMPLE_STEM}-2020"


def test_generate_blank(tmp_path: Path) -> None:
    result = CliRunner().invoke(generate, ["--year", "2021", "--format", "both", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "blankett-2021.pdf").exists() and (tmp_path / "blankett-2021.docx").exists()
    fields = PdfReader(tmp_path / "blankett-2021.pdf").get_fields()
    assert fields["ar"]["/V"] == "2021" and "/V" not in fields["kontakt.kommun"]


def test_generate_prefilled_prints_the_summary(tmp_path: Path) -> None:
    result = CliRunner().invoke(generate, ["--year", "2021", "--prefill", str(SAMPLE_JSON), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Tips: 23 kvinnor och 34 män" in result.output
    fields = PdfReader(tmp_path / f"{SAMPLE_STEM}-2021.pdf").get_fields()
    assert fields["kontakt.postort"]["/V"] == "Spånga" and "/V" not in fields["klienter.totalt.kvinnor"]


def test_generate_refuses_to_prefill_backwards(tmp_path: Path) -> None:
    result = CliRunner().invoke(generate, ["--year", "2020", "--prefill", str(SAMPLE_JSON), "-o", str(tmp_path)])
    assert result.exit_code == 2 and "förifyllning går bara framåt" in result.output
    assert list(tmp_path.iterdir()) == []


def test_fill_renders_the_record_as_it_is(tmp_path: Path) -> None:
    result = CliRunner().invoke(fill, [str(SAMPLE_JSON), "--flatten", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    printed = PdfReader(tmp_path / f"{SAMPLE_STEM}-2020.pdf")
    assert not printed.get_fields() and "Coronapandemin" in printed.pages[-1].extract_text() + \
        printed.pages[-2].extract_text()


def test_unreadable_input_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    result = CliRunner().invoke(fill, [str(bad), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and result.output.count("\n") == 1 and "bad.json" in result.output


def test_generate_addresses_the_form_to_the_kommuns_lansstyrelse(tmp_path: Path) -> None:
    malmo = tmp_path / "malmo-2020.json"
    data = sample_record_json()
    data["kontakt"]["kommun"] = "Malmö stad"
    malmo.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(generate, ["--year", "2021", "--prefill", str(malmo), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "Mottagare: Länsstyrelsen i Skåne län (skane@lansstyrelsen.se)" in result.stdout
    pdf = PdfReader(tmp_path / "out" / "malmo-stad-2021.pdf")
    assert "skane@lansstyrelsen.se" in " ".join(pdf.pages[0].extract_text().split())
    assert pdf.metadata["/Keywords"] == "Mottagare: Länsstyrelsen i Skåne län (skane@lansstyrelsen.se)"
    wrong = CliRunner().invoke(generate, ["--year", "2021", "--prefill", str(malmo), "--lan", "Stockholm",
                                          "-o", str(tmp_path / "wrong")])
    assert wrong.exit_code == 2
    assert "hör till Länsstyrelsen i Skåne län, inte till Länsstyrelsen i Stockholms län" in wrong.output
    assert not (tmp_path / "wrong").exists()


def test_generate_blank_for_a_lan_a_kommun_or_nobody(tmp_path: Path) -> None:
    runner = CliRunner()
    lan = runner.invoke(generate, ["--year", "2021", "--lan", "norrbotten", "-o", str(tmp_path / "lan")])
    assert lan.exit_code == 0 and "Länsstyrelsen i Norrbottens län" in lan.stdout and not lan.stderr
    kommun = runner.invoke(generate, ["--year", "2021", "--kommun", "Luleå kommun", "--format", "docx",
                                      "-o", str(tmp_path / "kommun")])
    assert kommun.exit_code == 0, kommun.output
    assert (tmp_path / "kommun" / "lulea-2021.docx").is_file() and "norrbotten@" in kommun.stdout
    nobody = runner.invoke(generate, ["--year", "2021", "-o", str(tmp_path / "nobody")])
    assert nobody.exit_code == 0 and "Mottagare: Länsstyrelsen i ditt län" in nobody.stdout
    assert "ange --lan" in nobody.stderr
    unknown = runner.invoke(generate, ["--year", "2021", "--lan", "Atlantis", "-o", str(tmp_path / "x")])
    assert unknown.exit_code == 2 and "Okänt län" in unknown.output and "Norrbotten" in unknown.output
