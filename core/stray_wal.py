"""Refusing a ``-wal`` file that belongs to another database before SQLite replays it.

SQLite applies whatever valid WAL file sits next to a database: it cannot tell a stray
``news.db-wal`` left by another file of that name (a copied or replaced project) from the
project's own. Replayed, its pages would overwrite the project's, and the next checkpoint would
write them into the file for good. Two signs that SQLite itself lets us read give it away: the
project file is not in WAL mode (claimmark keeps every project in WAL mode, so its own WAL can
only sit next to a WAL-mode file), or the WAL holds a first page whose header does not carry
claimmark's application id. Both are checked on the raw bytes, before any connection opens.
"""

from __future__ import annotations

import struct
from pathlib import Path

from .model import ProjectFileError
from .schema import APPLICATION_ID

_WAL_MAGIC = (0x377F0682, 0x377F0683)
_WAL_HEADER = 32
_FRAME_HEADER = 24


def refuse_stray_wal(path: Path) -> None:
    wal = Path(f"{path}-wal")
    try:
        with wal.open("rb") as handle:
            header = handle.read(_WAL_HEADER)
            if len(header) < _WAL_HEADER:
                return  # empty or too short to hold a frame: SQLite ignores it too
            magic, _version, page_size, _seq, salt1, salt2 = struct.unpack(">6I", header[:24])
            if magic not in _WAL_MAGIC:
                return
            with path.open("rb") as main:
                main_header = main.read(100)
            if len(main_header) == 100 and main_header[18:20] != b"\x02\x02":
                _refuse(path, wal, "the project file is not in WAL mode, so it is not its WAL")
            while True:
                frame = handle.read(_FRAME_HEADER)
                if len(frame) < _FRAME_HEADER:
                    return
                page, _size, frame_salt1, frame_salt2 = struct.unpack(">4I", frame[:16])
                data = handle.read(page_size)
                if (frame_salt1, frame_salt2) != (salt1, salt2) or len(data) < page_size:
                    return  # the end of the valid frames: SQLite stops reading here too
                if page == 1 and int.from_bytes(data[68:72], "big") != APPLICATION_ID:
                    _refuse(path, wal, "its copy of the first page is not a claimmark project's")
    except OSError:
        return  # no -wal (the usual case), or unreadable: SQLite reports what it cannot open


def _refuse(path: Path, wal: Path, why: str) -> None:
    raise ProjectFileError(
        f"{path}: refused: {wal} belongs to another database ({why}); SQLite would replay it "
        f"into the project. Move {wal.name} out of the folder (nothing was modified), then open "
        "the project again."
    )
