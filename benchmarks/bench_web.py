"""Benchmark the web site (``formgen serve``) over real HTTP on a loopback port.

Usage: ``python benchmarks/bench_web.py [--uploads 7] [--rows 300] [--keep]``

1. Upload to findings: one flattened submission (``formgen.generate.render_pdf(record, flatten=True)``, a
   distinct record each time so nothing is cached) POSTed as multipart through the upload form, then the job
   polled every 10 ms until the file's findings are in the store.  The first upload meets a cold server and
   is reported apart; between the others the server is left idle for ``--pause`` seconds (it renders the
   last upload's page images in the background).  Target: ≤ 1 s on a warm server.
2. The Inkorg ("/") with ``--rows`` submissions in the store (real extractions of the sample with varied
   kommun, year, status and findings): the server's own time from the ``Server-Timing`` header (wall and
   the request thread's CPU time), median of 20 requests after 3 warm-ups.  Target: ≤ 200 ms.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Client:
    """A browser-like client: cookies, the form's anti-forgery token, multipart uploads."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> tuple[bytes, dict[str, str]]:
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.read(), dict(response.headers)

    def upload(self, name: str, content: bytes) -> str:
        page, _ = self.get("/ladda-upp")
        token = re.search(rb'name="csrf_token" value="([^"]+)"', page).group(1).decode()
        boundary = secrets.token_hex(16)
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n"
                f"--{boundary}\r\nContent-Disposition: form-data; name=\"filer\"; filename=\"{name}\"\r\n"
                "Content-Type: application/pdf\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
        request = urllib.request.Request(self.base + "/ladda-upp", data=body, method="POST", headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}", "X-Requested-With": "formgen"})
        with self.opener.open(request, timeout=60) as response:
            return json.loads(response.read())["adress"]


def submissions(count: int) -> list[bytes]:
    from formgen.generate import render_pdf
    from formgen.record import record_from_json

    base = json.loads((ROOT / "samples" / "spanga-tensta-2020.json").read_text(encoding="utf-8"))
    out = []
    for i in range(count):
        record = record_from_json(base).replace({"kontakt.kommun": f"Provkommun {i} {secrets.token_hex(3)}",
                                                 "klienter.totalt.kvinnor": 30 + i})
        out.append(render_pdf(record, flatten=True))
    return out


def upload_to_findings(client: Client, content: bytes, name: str) -> float:
    start = time.perf_counter()
    job = client.upload(name, content)
    while True:
        state = json.loads(client.get(job + ".json")[0])
        if all(f["state"] == "done" for f in state["files"]):
            elapsed = time.perf_counter() - start
            assert state["files"][0]["stored"], state
            return elapsed
        time.sleep(0.01)


def fill_store(store_path: Path, rows: int) -> None:
    from extractors.registry import extract
    from formgen import __version__
    from formgen.pipeline import problem_findings
    from formgen.store import NewSubmission, SQLiteStore
    from formgen.summary import status_of
    from formgen.validate import validate

    extraction = extract(ROOT / "samples" / "spanga-tensta-2020.pdf", sandbox=False)
    findings = [f.to_json() for f in problem_findings(extraction.problems) + validate(extraction.record)]
    data = extraction.to_json()
    with SQLiteStore(store_path) as store:
        for i in range(rows):
            kommun = f"Kommun {i:03d}"
            record = json.loads(json.dumps(data["record"]))
            record["kontakt"]["kommun"] = kommun
            record["ar"] = 2019 + i % 2
            chosen = findings[: i % len(findings)] if findings else []
            status = "unreadable" if i % 17 == 0 else status_of(chosen)
            store.add(NewSubmission(
                sha256=f"{i:064x}", path=f"inkorg/{kommun}.pdf", kommun=None if status == "unreadable" else kommun,
                year=None if status == "unreadable" else record["ar"], form_version="2020",
                record_json=None if status == "unreadable" else record,
                findings_json=chosen if status != "unreadable" else [
                    {"code": "damaged-file", "severity": "error", "fields": [], "message": "Filen är trasig."}],
                status=status, tool_version=__version__, source_json=data["source"],
                provenance_json=data["provenance"]))


def serve(folder: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "formgen", "serve", "--store", str(folder / "lager.sqlite"),
                             "--port", str(port), "--jobs", "2"], cwd=folder, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=7)
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--pause", type=float, default=5.0, help="seconds of idle server between uploads")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-web-"))
    files = submissions(args.uploads)
    proc, base = serve(folder)
    try:
        client = Client(base)
        first = upload_to_findings(client, files[0], "forsta.pdf")
        times = []
        for i, content in enumerate(files[1:]):
            time.sleep(args.pause)  # the previous upload's page images are rendered: the server is idle again
            times.append(upload_to_findings(client, content, f"fil-{i}.pdf"))
        print(f"upload to findings, one flattened submission: first (cold server) {first * 1000:.0f} ms; "
              f"warm median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms "
              f"over {len(times)} uploads (target ≤ 1000 ms)")
    finally:
        proc.terminate()
        proc.wait()
    table = Path(tempfile.mkdtemp(prefix="bench-web-inbox-"))
    fill_store(table / "lager.sqlite", args.rows)
    proc, base = serve(table)
    try:
        client = Client(base)
        server_ms, cpu_ms, wall_ms = [], [], []
        for i in range(23):
            start = time.perf_counter()
            page, headers = client.get("/?ersatta=ja")
            elapsed = (time.perf_counter() - start) * 1000
            if i >= 3:
                timing = headers["Server-Timing"]
                server_ms.append(float(re.search(r"app;dur=([\d.]+)", timing).group(1)))
                cpu_ms.append(float(re.search(r"cpu;dur=([\d.]+)", timing).group(1)))
                wall_ms.append(elapsed)
        rows = page.count(b'<td class="filnamn">')
        print(f"Inkorg with {rows} rows ({len(page) // 1024} KiB): server time median "
              f"{statistics.median(server_ms):.0f} ms"
              f" (CPU {statistics.median(cpu_ms):.0f} ms), max {max(server_ms):.0f} ms; request median "
              f"{statistics.median(wall_ms):.0f} ms (target ≤ 200 ms)")
    finally:
        proc.terminate()
        proc.wait()
    if args.keep:
        print(f"kept {folder} and {table}")


if __name__ == "__main__":
    main()
