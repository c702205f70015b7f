"""Test data for OCR: scans made from any PDF (image-only PDFs), and PDFs whose text layer is unreadable.

scan_pdf() renders each page like a scanner would: at 150/200/300 dpi, slightly rotated, speckled, blurred,
JPEG-compressed, optionally one page upside down or a region smudged, and wraps the images as an image-only
PDF whose pages have the original size in points. ps_roundtrip() is the PostScript print path
(pdftops + ps2pdf); garbage_text_layer() removes the fonts' ToUnicode maps and scrambles the text encoding so
that "text layer unreadable" is exercised even where the print path keeps the text.

Office shapes (SHAPES, scan_shape()): what kommuner really send, made from any PDF:
  "grey200"    200 dpi greyscale, slight rotation (±1°), speckle, JPEG q85 (a document scanner);
  "bitonal300" 300 dpi black and white, thresholded after a little blur so strokes thicken, slight rotation,
               salt-and-pepper dots (a multifunction printer's scan-to-e-mail);
  "jpeg150"    150 dpi greyscale JPEG at quality 45: ringing halos around every stroke;
  "photocopy"  200 dpi, a dark grey paper, thickened toner, streaks and specks, skewed 2–3° (a copy of a copy).
varied_record() draws a plausible submission of another kommun from a seed (age bands that add up to their
totals, nya and avslutade within totalt, amounts in the hundreds of thousands or millions, answers that
match their follow-up texts, Swedish sentences), so that scans of many different records can be made.

Run by hand to make files: .venv/bin/python -m tests.scan_factory IN.pdf OUT.pdf [--dpi 200 --rotate 1.5 ...]
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFilter

from formgen.record import Record, blank_record
from formgen.spec import load_form

Region = tuple[int, float, float, float, float]  # page (1-based), x0, top, x1, bottom in PDF points


def render_page(page: pdfium.PdfPage, dpi: int) -> Image.Image:
    """A page as a greyscale image at ``dpi``."""
    return page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")


def scan_image(img: Image.Image, *, rotate: float = 0.0, speckle: float = 0.0, blur: float = 0.0,
               upside_down: bool = False, rng: random.Random | None = None) -> Image.Image:
    """Make a clean rendering look scanned: rotation (degrees, counter-clockwise), speckle (fraction of
    pixels flipped to dark or light dots), blur (Gaussian radius in pixels), paper grey and upside down."""
    rng = rng or random.Random(0)
    if rotate:
        img = img.rotate(rotate, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    if blur:
        img = img.filter(ImageFilter.GaussianBlur(blur))
    if speckle:
        w, h = img.size
        px = img.load()
        for _ in range(int(w * h * speckle)):
            x, y = rng.randrange(w), rng.randrange(h)
            px[x, y] = rng.choice((30, 60, 235))
    # paper is never quite white, toner never quite black
    img = img.point(lambda v: 40 + v * 205 // 255)
    if upside_down:
        img = img.rotate(180)
    return img


def smudge(img: Image.Image, box: tuple[int, int, int, int], radius: float = 6.0) -> Image.Image:
    """Blur one region of an image hard (an unreadable spot on a scan)."""
    region = img.crop(box).filter(ImageFilter.GaussianBlur(radius))
    out = img.copy()
    out.paste(region, box)
    return out


def images_to_pdf(images: Sequence[Image.Image], out: Path, dpi: int, jpeg_quality: int = 75) -> Path:
    """An image-only PDF, each image JPEG-compressed, pages sized so that ``dpi`` pixels make an inch."""
    jpegs = []
    for img in images:
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=jpeg_quality)
        buf.seek(0)
        jpegs.append(Image.open(buf))
    jpegs[0].save(out, "PDF", resolution=float(dpi), save_all=True, append_images=jpegs[1:])
    return out


def scan_pdf(src: Path, out: Path, *, dpi: int = 200, rotate: float = 0.0, speckle: float = 0.0,
             blur: float = 0.0, jpeg_quality: int = 75, upside_down: Iterable[int] = (),
             smudges: Iterable[Region] = (), erase: Iterable[Region] = (), pages: Iterable[int] | None = None,
             seed: int = 0) -> Path:
    """An image-only "scan" of ``src`` (pages 1-based; ``upside_down`` pages are turned 180°; ``smudges``
    are regions in PDF points blurred beyond reading, ``erase`` regions painted white)."""
    rng = random.Random(seed)
    flipped = set(upside_down)
    smudged = list(smudges)
    erased = list(erase)
    doc = pdfium.PdfDocument(str(src))
    images = []
    try:
        wanted = set(pages) if pages is not None else None
        for i, page in enumerate(doc, start=1):
            if wanted is not None and i not in wanted:
                continue
            img = render_page(page, dpi)
            k = dpi / 72
            for p, x0, top, x1, bottom in smudged:
                if p == i:
                    img = smudge(img, (int(x0 * k), int(top * k), int(x1 * k), int(bottom * k)))
            for p, x0, top, x1, bottom in erased:
                if p == i:
                    ImageDraw.Draw(img).rectangle((int(x0 * k), int(top * k), int(x1 * k), int(bottom * k)), fill=255)
            images.append(scan_image(img, rotate=rotate, speckle=speckle, blur=blur, upside_down=i in flipped,
                                     rng=rng))
    finally:
        doc.close()
    return images_to_pdf(images, out, dpi, jpeg_quality)


def ps_roundtrip(src: Path, out: Path) -> Path:
    """The PostScript print path: ``pdftops src x.ps && ps2pdf x.ps out`` (poppler-utils, ghostscript)."""
    if shutil.which("pdftops") is None or shutil.which("ps2pdf") is None:
        raise RuntimeError("pdftops/ps2pdf saknas: installera poppler-utils och ghostscript")
    with tempfile.TemporaryDirectory() as tmp:
        ps = Path(tmp) / "x.ps"
        subprocess.run(["pdftops", str(src), str(ps)], check=True, capture_output=True)
        subprocess.run(["ps2pdf", str(ps), str(out)], check=True, capture_output=True)
    return out


def garbage_text_layer(src: Path, out: Path) -> Path:
    """A PDF that looks the same but whose text extracts as garbage: every font loses its ToUnicode map
    and gets an Encoding whose Differences name private-use glyphs, as broken print drivers produce."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject

    reader = PdfReader(str(src))
    writer = PdfWriter(clone_from=reader)
    seen: set[int] = set()
    for page in writer.pages:
        resources = page.get("/Resources")
        if resources is None:
            continue
        for font in _fonts(resources.get_object(), seen):
            if "/ToUnicode" in font:
                del font[NameObject("/ToUnicode")]
            if font.get("/Subtype") in ("/TrueType", "/Type1"):
                diffs = ArrayObject([NumberObject(32)])
                diffs.extend(NameObject(f"/uniE{c:03X}") for c in range(32, 256))
                font[NameObject("/Encoding")] = DictionaryObject({
                    NameObject("/Type"): NameObject("/Encoding"), NameObject("/Differences"): diffs})
    with open(out, "wb") as handle:
        writer.write(handle)
    return out


def _fonts(resources: object, seen: set[int]) -> Iterable:
    """Every font dictionary under a resources dictionary, inside form XObjects and Type0 descendants."""
    fonts = resources.get("/Font") if hasattr(resources, "get") else None
    if fonts is not None:
        for ref in fonts.get_object().values():
            font = ref.get_object()
            if id(font) in seen:
                continue
            seen.add(id(font))
            yield font
            for desc in font.get("/DescendantFonts", []) or []:
                yield desc.get_object()
    xobjects = resources.get("/XObject") if hasattr(resources, "get") else None
    if xobjects is not None:
        for ref in xobjects.get_object().values():
            xobj = ref.get_object()
            if xobj.get("/Subtype") == "/Form" and "/Resources" in xobj:
                yield from _fonts(xobj["/Resources"].get_object(), seen)


def char_boxes(src: Path, page: int, text: str) -> list[Region]:
    """Boxes (PDF points, top-left origin) of every occurrence of ``text`` in a page's text layer, e.g.
    to erase the "@" of one e-mail address from a scan."""
    doc = pdfium.PdfDocument(str(src))
    try:
        pg = doc[page - 1]
        height = pg.get_size()[1]
        tp = pg.get_textpage()
        full = tp.get_text_range(0, tp.count_chars())
        out: list[Region] = []
        start = full.find(text)
        while start >= 0:
            boxes = [tp.get_charbox(i, loose=True) for i in range(start, start + len(text))]
            out.append((page, min(b[0] for b in boxes), height - max(b[3] for b in boxes),
                        max(b[2] for b in boxes), height - min(b[1] for b in boxes)))
            start = full.find(text, start + 1)
        tp.close()
        return out
    finally:
        doc.close()


# ------------------------------------------------------------------------------------------ office shapes


@dataclass(frozen=True)
class Shape:
    """One kind of office scan: resolution, colour depth and what the device does to the page."""

    name: str
    dpi: int
    rotate: tuple[float, float]   # degrees, drawn uniformly from this range, sign at random
    speckle: float = 0.0          # share of pixels flipped to dots
    blur: float = 0.0
    jpeg_quality: int | None = 85  # None: stored without JPEG (bitonal)
    bitonal: bool = False
    threshold: int = 150          # bitonal: grey below this becomes black (after the blur: strokes thicken)
    paper: int = 235              # grey of the paper
    toner: int = 35               # grey of the toner
    thicken: int = 0              # a min-filter of this size (toner spreading on a copier)
    streaks: int = 0              # dark vertical streaks of a dirty copier drum


SHAPES: dict[str, Shape] = {
    "grey200": Shape("grey200", 200, (0.2, 1.0), speckle=0.0015, blur=0.4, jpeg_quality=85),
    "bitonal300": Shape("bitonal300", 300, (0.1, 0.8), speckle=0.0004, blur=0.9, jpeg_quality=None,
                        bitonal=True, threshold=165),
    "jpeg150": Shape("jpeg150", 150, (0.0, 0.7), blur=0.3, jpeg_quality=45, paper=245, toner=25),
    "photocopy": Shape("photocopy", 200, (1.8, 3.0), speckle=0.002, blur=0.7, jpeg_quality=70, paper=175,
                       toner=15, thicken=3, streaks=2),
}


def shape_image(img: Image.Image, shape: Shape, rng: random.Random) -> Image.Image:
    """A clean greyscale rendering at ``shape.dpi`` made to look like that device's scan."""
    angle = rng.uniform(*shape.rotate) * rng.choice((-1, 1))
    img = img.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    if shape.thicken:
        img = img.filter(ImageFilter.MinFilter(shape.thicken))
    if shape.blur:
        img = img.filter(ImageFilter.GaussianBlur(shape.blur))
    paper, toner = shape.paper, shape.toner
    img = img.point(lambda v: toner + v * (paper - toner) // 255)
    if shape.streaks:
        draw = ImageDraw.Draw(img)
        for _ in range(shape.streaks):
            x = rng.randrange(img.width)
            draw.line((x, 0, x + rng.randint(-4, 4), img.height), fill=max(0, paper - 70), width=rng.randint(1, 3))
    if shape.speckle:
        px = img.load()
        w, h = img.size
        for _ in range(int(w * h * shape.speckle)):
            x, y = rng.randrange(w), rng.randrange(h)
            px[x, y] = rng.choice((toner, toner + 30, paper))
    if shape.bitonal:
        img = img.point(lambda v: 0 if v < shape.threshold else 255).convert("1")
    return img


def scan_shape(src: Path, out: Path, shape: str | Shape, seed: int = 0) -> Path:
    """An image-only PDF of ``src`` scanned the way ``shape`` (a name of SHAPES or a Shape) does it."""
    sh = SHAPES[shape] if isinstance(shape, str) else shape
    rng = random.Random(seed)
    doc = pdfium.PdfDocument(str(src))
    try:
        images = [shape_image(render_page(page, sh.dpi), sh, rng) for page in doc]
    finally:
        doc.close()
    if sh.jpeg_quality is not None:
        return images_to_pdf(images, out, sh.dpi, sh.jpeg_quality)
    images[0].save(out, "PDF", resolution=float(sh.dpi), save_all=True, append_images=images[1:])
    return out


# ------------------------------------------------------------------------------------------ varied records

KOMMUNER = [
    ("Älvkarleby kommun", "Box 100", "814 21", "Skutskär", "alvkarleby.se", "026-830 00 00"),
    ("Härnösands kommun", "Universitetsbacken 1", "871 80", "Härnösand", "harnosand.se", "0611-34 80 00"),
    ("Tierps kommun", "Centrumgatan 7", "815 80", "Tierp", "tierp.se", "0293-21 80 00"),
    ("Region Gotland", "Visborgsallén 19", "621 81", "Visby", "gotland.se", "0498-26 90 00"),
    ("Östersunds kommun", "Rådhusgatan 44", "831 82", "Östersund", "ostersund.se", "063-14 30 00"),
    ("Sala kommun", "Box 304", "733 25", "Sala", "sala.se", "0224-74 70 00"),
    ("Kungsörs kommun", "Drottninggatan 5", "736 85", "Kungsör", "kungsor.se", "0227-60 00 00"),
    ("Ljusdals kommun", "Riotorget 1", "827 80", "Ljusdal", "ljusdal.se", "0651-180 00"),
    ("Borlänge kommun", "Röda vägen 50", "781 81", "Borlänge", "borlange.se", "0243-740 00"),
    ("Mölndals stad", "Box 21", "431 20", "Mölndal", "molndal.se", "031-315 10 00"),
]
PEOPLE = ["Anna Lindqvist", "Per-Olof Nyström", "Karin Åberg", "Jonas Öhman", "Eva Sjöberg", "Lars Ekström",
          "Maria Holmgren", "Fredrik Dahl", "Sofia Wikström", "Göran Björk"]
TITLES = ["Enhetschef", "Verksamhetschef", "Socialchef", "Avdelningschef", "Förvaltningschef"]
SENTENCES = [
    "Vi har haft ett nära samarbete med Försäkringskassan under året.",
    "Efterfrågan på stöd har ökat, särskilt bland yngre kvinnor.",
    "Många klienter har behov av hjälp med ekonomi och skulder.",
    "Verksamheten har två ombud som arbetar i hela kommunen.",
    "Handledningen sker en gång i månaden med extern handledare.",
    "Väntetiden har varit kort och ingen har behövt vänta mer än två veckor.",
    "Klienter med minderåriga barn prioriteras först.",
    "Ombuden har deltagit i en regional utbildning om psykisk ohälsa.",
    "Det är svårt att få tid hos psykiatrin och väntetiderna är långa.",
    "Samverkan med primärvården behöver utvecklas.",
    "Digitala möten har ersatt en del av de fysiska besöken.",
    "Bostadsbristen gör det svårt för klienterna att hitta ett eget boende.",
    "Ledningsgruppen träffas fyra gånger per år.",
    "Brukarorganisationerna har bjudits in men inte kunnat delta.",
]


def _sentences(rng: random.Random, lo: int, hi: int) -> str:
    return " ".join(rng.sample(SENTENCES, rng.randint(lo, hi)))


def _band_counts(rng: random.Random, total_hi: int, within: list[int] | None = None) -> list[int]:
    """Four age-band counts (each under ``within``'s when given)."""
    if within is not None:
        return [rng.randint(0, w) if w else 0 for w in within]
    weights = [rng.randint(0, total_hi // 3) for _ in range(4)]
    return weights


def varied_record(seed: int, year: int = 2020) -> Record:
    """A plausible submission of another kommun, different for every seed, consistent like real ones."""
    rng = random.Random(seed)
    form = load_form(year)
    fields = form.fields_for_year(year)
    kommun, adress, postnr, ort, domain, phone = KOMMUNER[seed % len(KOMMUNER)]
    person = rng.choice(PEOPLE)
    user = person.lower().replace(" ", ".").translate(str.maketrans("åäöé", "aaoe"))
    ch: dict[str, object] = {
        "kontakt.kommun": kommun, "kontakt.utdelningsadress": adress, "kontakt.postnummer": postnr,
        "kontakt.postort": ort, "kontakt.kontaktperson": person,
        "kontakt.avdelning": rng.choice(["Socialförvaltningen", "Vuxenenheten", "Enheten för socialpsykiatri"]),
        "kontakt.namnd": rng.choice(["Socialnämnden", "Vård- och omsorgsnämnden", "Omsorgsnämnden"]),
        "kontakt.telefon": phone, "kontakt.epost": f"{user}@{domain}",
        "kontakt.ovriga_kommuner": rng.sample([k[3] for k in KOMMUNER if k[0] != kommun], rng.randint(0, 2)),
    }
    n_ombud = rng.randint(1, 4)
    fte = rng.choice([n_ombud * 100, n_ombud * 100 - 25, n_ombud * 100 - 50, max(50, n_ombud * 75)])
    ch["ombud.tjanster"] = f"{fte // 100}.{fte % 100:02d}"
    women = rng.randint(0, n_ombud)
    ch["ombud.antal.kvinnor"] = women or None
    ch["ombud.antal.man"] = (n_ombud - women) or None
    bands = ["alder_18_29", "alder_30_49", "alder_50_64", "alder_65_plus"]
    size = rng.choice([30, 60, 120, 250])
    totals: dict[str, list[int]] = {}
    for gender in ("kvinnor", "man"):
        totals[gender] = _band_counts(rng, size)
        nya = _band_counts(rng, size, totals[gender])
        avslutade = _band_counts(rng, size, totals[gender])
        for group, counts in (("totalt", totals[gender]), ("nya", nya), ("avslutade", avslutade)):
            ch[f"klienter.{group}.{gender}"] = sum(counts)
            for band, n in zip(bands, counts, strict=True):
                ch[f"klienter.{group}.{band}.{gender}"] = n
        ch[f"klienter.hemmavarande_barn.{gender}"] = rng.randint(0, max(1, sum(totals[gender]) // 3))
    for key, spec in fields.items():
        if key.startswith("kontaktorsaker.") and spec.type == "int":
            gender = key.rpartition(".")[2]
            ch[key] = None if "annan" in key and rng.random() < 0.6 else rng.randint(0, sum(totals[gender]))
    annan = ch.get("kontaktorsaker.annan.kvinnor") is not None or ch.get("kontaktorsaker.annan.man") is not None
    ch["kontaktorsaker.annan_vilken"] = rng.choice(["Skulder", "Hot om vräkning", "Körkort"]) if annan else None
    for key, spec in fields.items():
        if spec.is_choice:
            ch[key] = rng.choice([c.value for c in spec.choices] + ([None] if "organisationer" in key else []))
        elif spec.type == "flag":
            ch[key] = rng.random() < 0.4
    follow = {"utbildning.vilka": ("utbildning.erbjuden", "ja"),
              "utbildning.varfor_inte": ("utbildning.erbjuden", "nej"),
              "handledning.vilken": ("handledning.erbjuden", "ja"),
              "handledning.varfor_inte": ("handledning.erbjuden", "nej"),
              "tillgang.vantetid": ("tillgang.ko", "ja"),
              "tillgang.prioritering_ordning": ("tillgang.prioritering", "ja"),
              "tillgang.prioritering_varfor_inte": ("tillgang.prioritering", "nej"),
              "organisation.annan_utforare_namn": ("organisation.utforare.annan", "ja"),
              "corona.annan_vad": ("corona.effekter.annan", True)}
    for who in ("patient", "brukar", "anhorig", "annan"):
        follow[f"ledningsgrupp.organisationer.{who}.vilka"] = (f"ledningsgrupp.organisationer.{who}.svar", "ja")
    for key, spec in fields.items():
        if spec.type != "text" or key.startswith(("kontakt.", "underskrift.")) or key == "kontaktorsaker.annan_vilken":
            continue
        if key in follow:
            on, value = follow[key]
            ch[key] = _sentences(rng, 1, 1) if ch.get(on) == value else None
        else:
            ch[key] = _sentences(rng, 1, 3) if rng.random() < 0.85 else None
    grant = rng.choice([302400, 312000, 320000, 330000])
    beviljade = rng.choice([1, 2, 3, 4, 5]) * 50
    ch["ekonomi.beviljade_arsanstallningar"] = f"{beviljade // 100}.{beviljade % 100:02d}"
    ch["ekonomi.beviljat_kr"] = grant * beviljade // 100
    used = rng.choice([beviljade, beviljade, max(25, beviljade - 25)])
    ch["ekonomi.forbrukade_arsanstallningar"] = f"{used // 100}.{used % 100:02d}"
    ch["ekonomi.forbrukat_kr"] = grant * used // 100 - rng.choice([0, 0, rng.randint(1, 20000)])
    day = rng.randint(5, 28)
    ch["underskrift.ort_datum"] = f"{ort} den {day} januari {year + 1}"
    ch["underskrift.datum"] = f"{year + 1}-01-{day:02d}"
    boss = rng.choice([p for p in PEOPLE if p != person])
    ch["underskrift.namnfortydligande"] = boss
    ch["underskrift.titel"] = rng.choice(TITLES)
    ch["underskrift.tjanstestalle"] = kommun
    ch["underskrift.telefon"] = phone
    ch["underskrift.epost"] = boss.lower().replace(" ", ".").translate(str.maketrans("åäöé", "aaoe")) + "@" + domain
    return blank_record(year, form).replace({k: v for k, v in ch.items() if k in fields})


def pdftotext(path: Path) -> str:
    """``pdftotext path -`` (poppler), for checking what a text layer gives."""
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True).stdout.decode(
        "utf-8", "replace")


def main(argv: Sequence[str] | None = None) -> None:
    """Command line: make one scan."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--dpi", type=int, default=200)
    ap.add_argument("--rotate", type=float, default=0.0)
    ap.add_argument("--speckle", type=float, default=0.0)
    ap.add_argument("--blur", type=float, default=0.0)
    ap.add_argument("--quality", type=int, default=75)
    ap.add_argument("--upside-down", type=int, action="append", default=[])
    ap.add_argument("--ps", action="store_true", help="PostScript print path instead of a scan")
    ap.add_argument("--garbage", action="store_true", help="unreadable text layer instead of a scan")
    args = ap.parse_args(argv)
    if args.ps:
        ps_roundtrip(args.src, args.out)
    elif args.garbage:
        garbage_text_layer(args.src, args.out)
    else:
        scan_pdf(args.src, args.out, dpi=args.dpi, rotate=args.rotate, speckle=args.speckle, blur=args.blur,
                 jpeg_quality=args.quality, upside_down=args.upside_down)


if __name__ == "__main__":
    main()
