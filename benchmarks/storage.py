"""Upload a 10 MB attachment and download it, through the folder and the database storage.

Each run is in-process (a Flask test client and a request context, no HTTP server): an
official attaches a real 10 MB PNG of noise to a case (inspection and cleaning included, as
in the case page's form), then downloads it through the audited route, reading the response
chunk by chunk. Reported per backend: the median time of the upload and of the download,
and the tracemalloc peak above the baseline while the download is read (the serving side's
memory: it must not grow by the file's size more than once).

Usage: .venv/bin/python benchmarks/storage.py [--database-url postgresql+psycopg://...]
       [--rounds 5]. Without --database-url: a fresh SQLite file.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image


def big_png(megabytes: int = 10) -> bytes:
    """A valid PNG of random pixels, just under `megabytes` MB (noise does not compress)."""
    side = int((megabytes * 1_000_000 / 3) ** 0.5) - 20
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, "PNG")
    return buffer.getvalue()


def run(backend: str, database_url: str, png: bytes, rounds: int) -> dict[str, float]:
    from flask_migrate import upgrade
    from sqlalchemy import MetaData, func, select

    from portal import create_app
    from portal.extensions import db
    from portal.models import Attachment
    from portal.web import uploads as web_uploads
    from tests.factories import PASSWORD, make_case, make_user

    instance = tempfile.mkdtemp(prefix="storage-bench-")
    app = create_app(
        {
            "PORTAL_ENV": "test",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_PATH": instance,
            "FILE_STORAGE": backend,
            "UPLOAD_MAX_BYTES": 12 * 2**20,
        }
    )
    uploads_, downloads, peaks = [], [], []
    with app.app_context():
        with db.engine.begin() as connection:
            metadata = MetaData()
            metadata.reflect(bind=connection)
            metadata.drop_all(bind=connection)
        upgrade()
        email = make_user(roles=("leader",)).email
        case_id = make_case().id
        db.session.remove()
    client = app.test_client()
    with app.app_context():
        page = client.get("/quan-tri/dang-nhap").get_data(as_text=True)
    token = page.split('name="csrf_token"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    with app.app_context():
        client.post(
            "/quan-tri/dang-nhap", data={"csrf_token": token, "email": email, "password": PASSWORD}
        )
    received = 0
    for _ in range(rounds):
        started = time.perf_counter()
        with app.test_request_context(
            "/", method="POST", data={"attachments": (io.BytesIO(png), "scan.png")}
        ):
            errors = web_uploads.attach_to_case("attachments", case_id, confidential=False)
            db.session.commit()
            attachment_id = db.session.scalar(select(func.max(Attachment.id)))
            db.session.remove()
        uploads_.append(time.perf_counter() - started)
        assert not errors, errors

        tracemalloc.start()
        started = time.perf_counter()
        with app.app_context():
            response = client.get(f"/quan-tri/tep/{attachment_id}", buffered=False)
        baseline = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        received = 0
        for chunk in response.response:
            received += len(chunk)
        response.close()
        peak = tracemalloc.get_traced_memory()[1] - baseline
        downloads.append(time.perf_counter() - started)
        tracemalloc.stop()
        assert response.status_code == 200 and received > 0
        peaks.append(peak)
    with app.app_context():
        db.engine.dispose()
    return {
        "upload": statistics.median(uploads_),
        "download": statistics.median(downloads),
        "peak": max(peaks),
        "size": float(received),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    png = big_png()
    print(f"PNG of {len(png) / 1e6:.1f} MB; database {url.split('@')[-1]}; {args.rounds} rounds")
    results = {backend: run(backend, url, png, args.rounds) for backend in ("folder", "database")}
    for backend, r in results.items():
        print(
            f"{backend:9} upload {r['upload'] * 1000:7.0f} ms   "
            f"download {r['download'] * 1000:6.0f} ms   "
            f"download peak {r['peak'] / 2**20:5.1f} MiB (file {r['size'] / 2**20:.1f} MiB)"
        )
    folder, database = results["folder"], results["database"]
    ratio = (database["upload"] + database["download"]) / (folder["upload"] + folder["download"])
    print(f"database / folder, upload + download: {ratio:.2f} (bound: 2)")
    ok = ratio <= 2 and all(r["peak"] < r["size"] for r in results.values())
    print("OK" if ok else "OVER THE BOUND")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
