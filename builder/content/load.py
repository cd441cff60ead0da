"""Load a project: find its course, module, quiz and project-wide files, and read each one.

The only stage that reads course files (`document.py` reads one). It never raises for bad content:
a file that cannot be read comes back with its errors, so one run reports every broken file.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

from builder.content.document import (
    Document,
    failed_document,
    load_document,
)
from builder.content.errors import ContentError, Position
from builder.content.project_files import LINK_OUTSIDE_HINT, files_under, stays_inside

#: Where a course keeps its pictures: `courses/<course>/images/`, linked as `images/<name>`.
IMAGES_FOLDER = "images"
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg")


@dataclass
class ProjectFile:
    """A YAML file of the project, with what its place and name say about it. Its document is
    read when first asked for: validation reads a catalogue course by course, and drops each
    course's documents (`forget`) before reading the next."""

    kind: str  # "course", "module", "quiz", "glossary" or "rti"
    #: The course folder for course and module files; "" for quiz banks and the glossary.
    course_folder: str
    #: The file name without language code and extension, e.g. "01-sift".
    stem: str
    #: The translation's language code as written in the file name; None for a source file.
    language: str | None
    path: Path
    read: Callable[[Path], Document] = field(default=load_document, repr=False, compare=False)
    _document: Document | None = field(default=None, repr=False, compare=False)

    @classmethod
    def read_already(
        cls, kind: str, course_folder: str, stem: str, language: str | None, document: Document
    ) -> ProjectFile:
        """A file whose document is made already (a file Sabaq does not read, with its error):
        forgetting it keeps it."""
        return cls(kind, course_folder, stem, language, document.path, lambda _: document, document)

    @property
    def document(self) -> Document:
        if self._document is None:
            self._document = self.read(self.path)
        return self._document

    def forget(self) -> None:
        """Drop the document (every value with its place): it is read again if asked for."""
        self._document = None


@dataclass
class LoadedProject:
    root: Path
    files: list[ProjectFile]
    #: Problems with the project's shape found while looking for files (e.g. `.yaml` files).
    errors: list[ContentError]
    #: course folder -> {"images/photo.jpg": path}: the images under courses/<course>/images/.
    images: dict[str, dict[str, Path]] = field(default_factory=dict)
    #: course folder -> {"images/photo.jpg": path}: links in images/ (to a picture or a folder,
    #: or images/ itself) that lead out of the project, and are not read (builder/content/project_files.py).
    images_outside: dict[str, dict[str, Path]] = field(default_factory=dict)


def load_project(
    root: Path,
    skip_languages: Collection[str] = (),
    read: Callable[[Path], Document] | None = None,
) -> LoadedProject:
    """Find and load every course, module and quiz file under `root`, except translations into
    `skip_languages` (languages the build takes from its cache: builder/build/cache.py). `read` loads
    one file (default: `load_document`; the build cache keeps what it parsed before)."""
    read = read or load_document
    files: list[ProjectFile] = []
    errors: list[ContentError] = []
    courses_dir, quizzes_dir = root / "courses", root / "quizzes"
    if not courses_dir.is_dir():
        errors.append(
            ContentError(
                courses_dir,
                Position(),
                "there is no 'courses' folder here",
                "run Sabaq in a course project (a folder with 'courses/' and 'quizzes/'), "
                "name one with --project DIR, or create a course with 'sabaq new course ID'",
            )
        )
        return LoadedProject(root, files, errors)
    images: dict[str, dict[str, Path]] = {}
    images_outside: dict[str, dict[str, Path]] = {}
    outside = [
        f for f in (courses_dir, quizzes_dir) if f.is_symlink() and not stays_inside(f, root)
    ]
    if outside:
        return LoadedProject(root, files, [_link_outside(folder, "folder") for folder in outside])
    for course_dir in sorted(p for p in courses_dir.iterdir() if p.is_dir()):
        if not stays_inside(course_dir, root):
            if course_dir.is_symlink():
                errors.append(_link_outside(course_dir, "folder"))
            continue  # and a hidden folder (.git) is no course
        for path in sorted(course_dir.iterdir()):
            _add_file(root, path, course_dir.name, files, errors, skip_languages, read)
        images[course_dir.name], images_outside[course_dir.name] = {}, {}
        for path, inside in files_under(course_dir / IMAGES_FOLDER, root):
            relative = path.relative_to(course_dir).as_posix()
            if not inside:
                images_outside[course_dir.name][relative] = path
            elif path.suffix.lower() in IMAGE_SUFFIXES:
                images[course_dir.name][relative] = path
    if quizzes_dir.is_dir() and stays_inside(quizzes_dir, root):
        for path in sorted(quizzes_dir.iterdir()):
            _add_file(root, path, "", files, errors, skip_languages, read)
    for path in glossary_paths(root):
        _add_file(root, path, "", files, errors, skip_languages, read, kind="glossary")
    # Every language's pages carry the request builder's letters in all six languages, so its
    # translations are read whichever languages a build renders.
    for path in root_file_paths(root, RTI_STEM):
        _add_file(root, path, "", files, errors, (), read, kind="rti")
    return LoadedProject(root, files, errors, images, images_outside)


#: Project-wide files beside `courses/`, each translated as `<stem>.<lang>.yml`: the glossary and
#: the request builder's rules.
GLOSSARY_STEM = "glossary"
RTI_STEM = "rti"
ROOT_FILE_STEMS = (GLOSSARY_STEM, RTI_STEM)
#: Files whose every translation appears on every language's pages.
READ_BY_EVERY_LANGUAGE = (RTI_STEM,)


def glossary_paths(root: Path) -> list[Path]:
    """The glossary and its translations (and misnamed `.yaml` ones, which are reported)."""
    return root_file_paths(root, GLOSSARY_STEM)


def file_language(path: Path) -> str | None:
    """`ru` for `01-first.ru.yml`, None for a source file or a picture: the one reading of a course
    file's name."""
    if path.suffix not in (".yml", ".yaml"):
        return None
    return path.stem.partition(".")[2] or None


def root_file_paths(root: Path, stem: str | None = None) -> list[Path]:
    """A project-wide file (every one without `stem`) and its translations, `.yaml` included."""
    try:
        names = sorted(entry.name for entry in root.iterdir())
    except OSError:
        return []
    stems = ROOT_FILE_STEMS if stem is None else (stem,)
    return [
        root / name
        for name in names
        if name.partition(".")[0] in stems and name.endswith((".yml", ".yaml"))
    ]


def _link_outside(path: Path, kind: str) -> ContentError:
    return ContentError(
        path,
        Position(),
        f"this {kind} is a link to a place outside the project, so Sabaq does not read it",
        LINK_OUTSIDE_HINT,
    )


def _add_file(
    root: Path,
    path: Path,
    course_folder: str,
    files: list[ProjectFile],
    errors: list[ContentError],
    skip_languages: Collection[str],
    read: Callable[[Path], Document],
    kind: str = "",
) -> None:
    # A link out of the project may lead to something that is no file (a device such as
    # /dev/zero): it is reported, whatever it leads to.
    leads_out = path.is_symlink() and not stays_inside(path, root)
    if path.suffix not in (".yml", ".yaml") or not (path.is_file() or leads_out):
        return
    stem = path.stem.partition(".")[0]
    language = file_language(path) or ""
    if language in skip_languages:
        return
    if not kind:
        kind = ("course" if stem == "course" else "module") if course_folder else "quiz"
    if leads_out:
        # Kept as a file with an error, as below: a module listed in course.yml is not also
        # reported as missing.
        document = Document(path, errors=[_link_outside(path, "file")])
    elif path.suffix == ".yaml":
        # Kept as a file with an error, so that a module listed in course.yml is not also reported
        # as missing.
        document = failed_document(
            path,
            Position(),
            "Sabaq reads files ending in '.yml', not '.yaml'",
            f"rename the file to '{path.with_suffix('.yml').name}'",
        )
    else:
        files.append(ProjectFile(kind, course_folder, stem, language or None, path, read))
        return
    files.append(ProjectFile.read_already(kind, course_folder, stem, language or None, document))
