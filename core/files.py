"""Temporary names beside a target, made with the modes the umask gives (mkdtemp and mkstemp make 0700 and 0600).

Output is read by other users (Grafana's service account reads provisioning/), so what a command writes must
be as readable as any file the user creates by hand.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from pathlib import Path


def make_dir(parent: Path, prefix: str) -> Path:
    """A new directory `parent/<prefix><random>`, mode 0777 less the umask."""
    for _ in range(100):
        path = parent / f"{prefix}{secrets.token_hex(4)}"
        try:
            path.mkdir(mode=0o777)
        except FileExistsError:
            continue
        return path
    raise FileExistsError(f"{parent}: no free name for {prefix}*")


def replace_file(path: Path, content: bytes) -> None:
    """Write `path` whole: a new file beside it (mode 0666 less the umask), then renamed over it."""
    for _ in range(100):
        temp = path.parent / f".{path.name}.{secrets.token_hex(4)}"
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        break
    else:
        raise FileExistsError(f"{path.parent}: no free name for .{path.name}.*")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def files_under(directory: Path) -> list[str]:
    """Every non-directory under `directory` (symlinks included, never followed), relative and sorted."""
    found = []
    for parent, dirs, names in os.walk(directory):
        base = Path(parent)
        links = [d for d in dirs if (base / d).is_symlink()]
        found += [(base / name).relative_to(directory).as_posix() for name in names + links]
    return sorted(found)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def unlisted_files(directory: Path, manifest: str, listing: dict[str, str]) -> list[str]:
    """Files under `directory` that `listing` (relative path -> sha256, read from its file `manifest`) does not
    name: what an earlier run did not write. A listed file whose content changed since (a git merge of generated
    output, an edit by hand) is still the command's own, and is rewritten."""
    return [
        rel
        for rel in files_under(directory)
        if (directory / rel).is_symlink() or (rel not in listing and not (rel == manifest and listing))
    ]


def file_above(target: Path) -> Path | None:
    """The nearest existing ancestor of `target` when it is not a directory (nothing can be created under it)."""
    for parent in target.parents:
        if parent.exists() or parent.is_symlink():
            return None if parent.is_dir() else parent
    return None


def shown(names: list[str], limit: int = 5) -> str:
    return ", ".join(names[:limit]) + (f" and {len(names) - limit} more" if len(names) > limit else "")


def not_utf8(data: bytes) -> str | None:
    """Where `data` stops being UTF-8 ("line 3, column 7: byte 0xE9"), or None when it all decodes."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        return f"line {line}, column {column}: byte 0x{data[exc.start]:02X} is not UTF-8"
    return None


def read_listing(path: Path, generator: str) -> dict[str, str]:
    """Relative path -> sha256 from a manifest `generator` wrote at `path`; {} when there is none or it is not one."""
    if path.is_symlink() or not path.is_file():
        return {}
    try:
        document = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    files = document.get("files") if isinstance(document, dict) and document.get("generator") == generator else None
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        return {}
    return {str(rel): digest for rel, digest in files.items()}
