"""Course files as parsed before: on disk between builds (`documents.sqlite`), and in memory in
the preview's process."""

from __future__ import annotations

import contextlib
import hashlib
import pickle
import shutil
import sqlite3
from pathlib import Path

from builder.build.cache.store import BuildCache
from builder.build.folders import (
    is_real_folder,
)
from builder.content.document import Document, load_document, parse_document
from builder.fingerprint import sabaq_fingerprint
from builder.memory import RecentlyUsed
from builder.settings import SETTINGS


class ParsedFiles:
    """YAML files as parsed before, by path and content, in `documents.sqlite`: reading a large
    project's YAML with positions is a third of a rebuild, and an edit changes one file. SQLite
    finds one document without reading the others, and holds none of them in memory."""

    def __init__(
        self, root: Path, recent: RecentDocuments | None = None, cache: BuildCache | None = None
    ) -> None:
        self.recent = recent
        self.path = root / "documents.sqlite"
        self.cache = cache
        self.used: set[str] = set()
        self.saved = False
        self.database = self._connect()

    def _connect(self) -> sqlite3.Connection:
        try:
            database = sqlite3.connect(self.path)
        except sqlite3.DatabaseError:  # e.g. a folder where the file belongs
            return self._start_afresh()
        try:
            database.execute(
                "CREATE TABLE IF NOT EXISTS documents (name TEXT PRIMARY KEY, document BLOB)"
            )
            return database
        except sqlite3.DatabaseError:
            database.close()
            return self._start_afresh()

    def _start_afresh(self) -> sqlite3.Connection:
        """A damaged file (garbage, cut short) is replaced by an empty one: every YAML file is
        parsed again."""
        if self.cache is not None:
            self.cache.damaged(self.path, "damaged; reading every course file afresh")
        with contextlib.suppress(AttributeError, sqlite3.Error):
            self.database.close()
        if is_real_folder(self.path):
            shutil.rmtree(self.path)
        self.path.unlink(missing_ok=True)
        database = sqlite3.connect(self.path)
        database.execute("CREATE TABLE documents (name TEXT PRIMARY KEY, document BLOB)")
        return database

    def read(self, path: Path) -> Document:
        """What `load_document(path)` gives, from the cache if the file is as it was."""
        if self.saved:
            # Files are read as validation reaches them; one read after the cache was closed
            # is read afresh, not taken for a damaged cache.
            return load_document(path)
        try:
            raw = path.read_bytes()
        except OSError:
            return load_document(path)
        # With Sabaq's fingerprint: what the loader checks changes with Sabaq (builder/content/document.py),
        # so a file parsed by another version is parsed again.
        key = f"{sabaq_fingerprint()}\0{path}\0".encode()
        name = hashlib.sha256(key + raw).hexdigest()
        self.used.add(name)
        if self.recent is not None and (remembered := self.recent.get(name)) is not None:
            return remembered
        try:
            row = self.database.execute(
                "SELECT document FROM documents WHERE name = ?", (name,)
            ).fetchone()
        except sqlite3.DatabaseError:
            self.database, row = self._start_afresh(), None
        if row is not None:
            try:
                document = pickle.loads(row[0])
                if isinstance(document, Document):
                    if self.recent is not None:
                        self.recent.put(name, document)
                    return document
            except Exception:  # noqa: BLE001 - a damaged entry (any error unpickling) is parsed again
                pass
        document = parse_document(path, raw)
        if not document.errors:  # errors are always found afresh, with today's wording
            try:
                self.database.execute(
                    "INSERT OR REPLACE INTO documents VALUES (?, ?)",
                    (name, pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL)),
                )
            except sqlite3.DatabaseError:
                self.database = self._start_afresh()
            if self.recent is not None:
                self.recent.put(name, document)
        return document

    def save(self, *, read_everything: bool) -> None:
        """Keep what was parsed for the next build. After reading every file of the project,
        documents of files that changed or went away are dropped."""
        try:
            if read_everything:
                self.database.execute("CREATE TEMP TABLE used (name TEXT PRIMARY KEY)")
                self.database.executemany("INSERT INTO used VALUES (?)", ((n,) for n in self.used))
                self.database.execute(
                    "DELETE FROM documents WHERE name NOT IN (SELECT name FROM used)"
                )
            self.database.commit()
        except sqlite3.DatabaseError:
            self.database = self._start_afresh()
        self.database.close()
        self.saved = True


class RecentDocuments(RecentlyUsed[str, Document]):
    """The documents the preview read in its last builds, in memory, up to `limit` of them:
    taking them from `documents.sqlite` again was a tenth of a rebuild after one edit, and the
    edit changes one file. Nothing changes a document once it is parsed (validation reads it),
    so one object can serve every build."""

    def __init__(self, limit: int = SETTINGS.recent_documents) -> None:
        super().__init__(limit)
