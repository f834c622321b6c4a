"""Convert the shared 8×8 digits CSV into the NPZ the app ships (resources/data/digits.npz).

Why a converter: the CSV (text, gzip) is the archival source; the app loads a small binary NPZ instead (no text
parsing at start-up, no pickle). The output is byte-for-byte reproducible — fixed zip timestamps and member
order — so re-running it on the same CSV never shows up as a change. Run from the repository root:

    python tools/convert_digits.py [SOURCE.csv.gz] [DEST.npz]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import sys
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "digits" / "digits.csv.gz"
DEFAULT_DEST = ROOT / "resources" / "data" / "digits.npz"
PIXELS = 64
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def read_digits_csv(source: Path) -> tuple[np.ndarray, np.ndarray]:
    """(images (n, 8, 8) uint8 0..16, labels (n,) uint8 0..9) from rows of 64 pixels + label; strict."""
    rows: list[list[int]] = []
    with gzip.open(source, "rt", encoding="ascii", newline="") as f:
        for line_no, row in enumerate(csv.reader(f), start=1):
            if not row:
                continue
            if len(row) != PIXELS + 1:
                raise ValueError(f"{source}: line {line_no}: expected {PIXELS + 1} values, found {len(row)}")
            try:
                values = [int(v) for v in row]
            except ValueError:
                raise ValueError(f"{source}: line {line_no}: not all values are integers") from None
            if not all(0 <= v <= 16 for v in values[:PIXELS]) or not 0 <= values[PIXELS] <= 9:
                raise ValueError(f"{source}: line {line_no}: pixel outside 0..16 or label outside 0..9")
            rows.append(values)
    if not rows:
        raise ValueError(f"{source}: no rows")
    table = np.array(rows, dtype=np.uint8)
    return table[:, :PIXELS].reshape(-1, 8, 8), table[:, PIXELS].copy()


def npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    """An .npz archive (np.load-compatible, allow_pickle=False) with fixed timestamps: reproducible bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, array in arrays.items():
            member = io.BytesIO()
            np.lib.format.write_array(member, np.ascontiguousarray(array), version=(1, 0), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, member.getvalue(), compresslevel=9)
    return out.getvalue()


def convert(source: Path, dest: Path) -> tuple[np.ndarray, np.ndarray]:
    images, labels = read_digits_csv(source)
    sys.path.insert(0, str(ROOT))  # gdstudio.atomic, when run as a plain script
    from gdstudio.atomic import atomic_write_bytes

    dest.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(dest, npz_bytes({"images": images, "labels": labels}))
    return images, labels


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("dest", nargs="?", type=Path, default=DEFAULT_DEST)
    args = parser.parse_args(argv)
    try:
        images, labels = convert(args.source, args.dest)
    except (OSError, ValueError) as e:
        print(f"convert_digits: {e}", file=sys.stderr)
        return 1
    counts = np.bincount(labels, minlength=10)
    print(f"wrote {args.dest}: {len(images)} images {images.shape[1:]}, per label {counts.tolist()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
