"""Sabaq deletes or replaces only folders it made (builder/build/folders.py): a hostile project (a link
named .sabaq-cache or site, a --site-dir naming the project or a folder of someone's own) is
refused with one clear message and exit code 2, and nothing outside the project changes. A
damaged cache is built afresh, saying so; leftovers of a killed build are removed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sabaq_testing import MINIMAL_PROJECT, REPO, Run, run_sabaq, write_files

from builder.build.folders import MARKER, SITE, mark


def snapshot(root: Path, leave_out: Path | None = None) -> dict[str, object]:
    """Every path under `root` (links not followed) with its content or link target and its
    modification time: equal snapshots mean nothing was touched."""
    found: dict[str, object] = {}
    for directory, folders, files in os.walk(root):
        for name in folders + files:
            path = Path(directory) / name
            if leave_out is not None and (path == leave_out or leave_out in path.parents):
                continue
            status = path.lstat()
            if path.is_symlink():
                value: object = ("link", os.readlink(path))
            elif path.is_dir():
                value = ("folder", status.st_mtime_ns)
            else:
                value = ("file", path.read_bytes(), status.st_mtime_ns)
            found[str(path.relative_to(root))] = value
        folders[:] = [f for f in folders if not (Path(directory) / f).is_symlink()]
    return found


@pytest.fixture
def world(tmp_path: Path) -> Path:
    """The project, and beside it a folder of someone's own files (what links point at)."""
    write_files(tmp_path / "project", MINIMAL_PROJECT)
    write_files(
        tmp_path / "own",
        {"notes.txt": "my notes", "thesis/chapter1.md": "# One", "thesis/index.html": "<p>mine"},
    )
    (tmp_path / "beside.txt").write_text("a file beside the project", encoding="utf-8")
    return tmp_path / "project"


def build(project: Path, *args: str) -> Run:
    return run_sabaq("build", "--no-packages", *args, cwd=project)


def refused(run: Run, message: str) -> None:
    """One error line, last (after any progress lines), and exit code 2."""
    assert "Traceback" not in run.stderr, run.stderr
    assert run.code == 2, run.stderr
    assert run.stderr.endswith(f"\nsabaq: error: {message}\n") or run.stderr == (
        f"sabaq: error: {message}\n"
    )
    assert run.stderr.count("error") == 1, run.stderr


# --- The build cache --------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["../own", ".", ".."])
def test_a_cache_that_is_a_link_is_refused_and_what_it_points_to_is_untouched(
    world: Path, target: str
) -> None:
    (world / ".sabaq-cache").symlink_to(target)
    before = snapshot(world.parent)

    run = build(world)

    refused(
        run,
        f"{world / '.sabaq-cache'} is a link to {target}, not Sabaq's build cache: Sabaq keeps "
        "its cache in a folder of its own and never touches what a link points to. Delete the "
        "link (only the link) and build again, or build with --no-cache",
    )
    assert snapshot(world.parent) == before


def test_a_cache_folder_sabaq_did_not_make_is_refused(world: Path) -> None:
    write_files(world / ".sabaq-cache", {"mine.txt": "not a cache", "en/notes.md": "# Mine"})
    before = snapshot(world.parent)

    run = build(world)

    refused(
        run,
        f"{world / '.sabaq-cache'} is not Sabaq's build cache (it has no {MARKER} file), so "
        "Sabaq will neither use nor delete it: move it away or delete it yourself, or build "
        "with --no-cache",
    )
    assert snapshot(world.parent) == before


def test_a_link_inside_a_marked_cache_is_refused_and_not_followed(world: Path) -> None:
    """A cloned repository can carry a cache with Sabaq's marker and a language folder that is
    a link: building through it would empty the folder it points to."""
    assert build(world).code == 0
    language = world / ".sabaq-cache" / "en"
    shutil.rmtree(language)
    language.symlink_to(world.parent / "own")
    before = snapshot(world.parent, leave_out=world)

    run = build(world)

    refused(
        run,
        f"{language} is a link, and Sabaq makes none in its build cache: this cache is not "
        f"Sabaq's, so Sabaq will neither use nor delete it. Delete {world / '.sabaq-cache'} "
        "yourself (after checking what the link points to), or build with --no-cache",
    )
    assert snapshot(world.parent, leave_out=world) == before
    assert sorted(p.name for p in (world.parent / "own").rglob("*")) == [
        "chapter1.md",
        "index.html",
        "notes.txt",
        "thesis",
    ]


def test_a_plain_file_named_like_the_cache_is_left_alone_and_the_build_goes_without(
    world: Path,
) -> None:
    (world / ".sabaq-cache").write_text("my own file", encoding="utf-8")

    run = build(world)

    assert run.code == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert (
        f"warning: {world / '.sabaq-cache'} is a file, not Sabaq's build cache: building without "
        "the cache (delete or move the file away to use the cache again)\n"
    ) in run.stderr
    assert (world / ".sabaq-cache").read_text(encoding="utf-8") == "my own file"
    assert (world / "site" / "en" / "demo" / "first" / "index.html").is_file()


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != MARKER
    }


DAMAGES = {
    "documents.sqlite garbage": ("documents.sqlite", b"\x00garbage" * 100),
    "documents.sqlite cut short": ("documents.sqlite", None),
    "state.json garbage": ("ru/state.json", b"{\xff not json"),
    "nonce garbage": ("nonce", b"\xff\xfe\x00"),
    "format garbage": ("format", b"\xff"),
    "a built page cut short": ("en/site/demo/first/index.html", None),
    "a finished page cut short": ("en/final/demo/first/index.html", None),
}


@pytest.mark.parametrize("damage", DAMAGES, ids=list(DAMAGES))
def test_a_damaged_cache_is_built_afresh_saying_so(
    world: Path, tmp_path: Path, damage: str
) -> None:
    assert build(world).code == 0
    name, garbage = DAMAGES[damage]
    path = world / ".sabaq-cache" / name
    path.write_bytes(garbage if garbage is not None else path.read_bytes()[:1500])
    # An edit, so that the parsed files are read again rather than the languages taken whole.
    module = world / "courses" / "demo" / "02-second.yml"
    module.write_text(module.read_text(encoding="utf-8").replace("Text.", "Edited."), "utf-8")
    assert build(world, "--no-cache", "--site-dir", str(tmp_path / "fresh")).code == 0

    run = build(world)

    assert run.code == 0, run.stderr
    assert "Traceback" not in run.stderr
    changed = (
        "a file in it changed since the last build (perhaps through the published site, which "
        "shares its files); building 'en' afresh"
    )
    warning = {
        "documents.sqlite": f"the build cache's {path}: damaged; reading every course file afresh",
        "ru/state.json": f"the build cache's {path}: damaged; building 'ru' afresh",
        "en/site/demo/first/index.html": f"the build cache's {path.parents[3]}: {changed}",
        "en/final/demo/first/index.html": f"the build cache's {path.parents[3]}: {changed}",
        "nonce": f"the build cache {world / '.sabaq-cache'} cannot be used (its format or nonce "
        "file is damaged): building everything afresh",
    }
    warning["format"] = warning["nonce"]
    assert f"warning: {warning[name]}\n" in run.stderr
    assert tree(world / "site") == tree(tmp_path / "fresh")
    # And the cache works again: the next build says nothing of damage.
    again = build(world)
    assert again.code == 0 and "warning:" not in again.stderr, again.stderr


def test_a_cache_copied_from_elsewhere_is_emptied_not_trusted(world: Path, tmp_path: Path) -> None:
    """A cache holds compiled templates and parsed files, loaded as code: one that came with a
    cloned repository (here: a copy) is not used."""
    assert build(world).code == 0
    copy = tmp_path / "copy"
    shutil.copytree(world, copy, symlinks=True)
    planted = copy / ".sabaq-cache" / "planted.txt"
    planted.write_text("from the repository", encoding="utf-8")

    run = build(copy)

    assert run.code == 0, run.stderr
    assert (
        f"warning: the build cache {copy / '.sabaq-cache'} cannot be used (it was made in "
        "another folder or on another computer): building everything afresh\n"
    ) in run.stderr
    assert not planted.exists()
    assert "Unchanged since the last build" not in run.stderr
    # Emptied, it is this folder's own: the next build uses it, saying nothing.
    again = build(copy)
    assert again.code == 0 and "warning:" not in again.stderr, again.stderr
    assert "Unchanged since the last build: en, ru" in again.stderr


def test_a_cache_marker_naming_the_very_folder_is_not_enough(world: Path) -> None:
    """A repository that guessed where its cache would land (device and inode) still cannot
    sign the marker: only a key kept outside every project can."""
    assert build(world).code == 0
    cache = world / ".sabaq-cache"
    status = os.stat(cache)
    (cache / MARKER).write_text(
        "Made by Sabaq as its build cache: Sabaq may delete or replace this folder.\n"
        f"folder {status.st_dev}:{status.st_ino}\n",
        encoding="utf-8",
    )
    planted = cache / "planted.txt"
    planted.write_text("from the repository", encoding="utf-8")

    run = build(world)

    assert run.code == 0, run.stderr
    assert (
        f"warning: the build cache {cache} cannot be used (it was made in another folder or on "
        "another computer): building everything afresh\n"
    ) in run.stderr
    assert not planted.exists()


def test_a_cache_made_before_the_marker_existed_is_emptied_and_used(world: Path) -> None:
    """A cache made by an earlier Sabaq has no marker: one holding only what a cache holds is
    taken as Sabaq's, but emptied (where it came from cannot be told), without a warning."""
    assert build(world).code == 0
    (world / ".sabaq-cache" / MARKER).unlink()

    run = build(world)

    assert run.code == 0 and "warning:" not in run.stderr, run.stderr
    assert "Unchanged since the last build" not in run.stderr
    assert (world / ".sabaq-cache" / MARKER).is_file()
    assert "Unchanged since the last build: en, ru" in build(world).stderr


# --- The site folder ---------------------------------------------------------------------------


def site_cases(project: Path) -> dict[str, tuple[str, str]]:
    """--site-dir -> the message that refuses it."""
    parent = project.parent
    holds_project = (
        "is the project folder or holds it: building there would replace your course files. "
        f"Choose a folder of its own, such as {project / 'site'}, with --site-dir"
    )
    return {
        "the project": (str(project), f"the site folder {project} {holds_project}"),
        "the project as .": (".", f"the site folder {project} {holds_project}"),
        "the parent": ("..", f"the site folder {parent} {holds_project}"),
        "the root": ("/", f"the site folder / {holds_project}"),
        "courses": (
            "courses",
            f"the site folder {project / 'courses'} is inside {project / 'courses'}, which Sabaq "
            "reads or keeps for itself: choose a folder outside it with --site-dir",
        ),
        "a course": (
            "courses/demo",
            f"the site folder {project / 'courses/demo'} is inside {project / 'courses'}, which "
            "Sabaq reads or keeps for itself: choose a folder outside it with --site-dir",
        ),
        "quizzes": (
            "quizzes",
            f"the site folder {project / 'quizzes'} is inside {project / 'quizzes'}, which Sabaq "
            "reads or keeps for itself: choose a folder outside it with --site-dir",
        ),
        "in the cache": (
            ".sabaq-cache/site",
            f"the site folder {project / '.sabaq-cache/site'} is inside "
            f"{project / '.sabaq-cache'}, which Sabaq reads or keeps for itself: choose a folder "
            "outside it with --site-dir",
        ),
        "someone's own folder": (
            "../own",
            f"the site folder {parent / 'own'} holds files Sabaq did not make, and a build "
            "replaces the whole folder: choose a new or empty folder with --site-dir (or, if it "
            "is an old site you no longer need, delete it yourself)",
        ),
        "a file": (
            "../beside.txt",
            f"the site folder {parent / 'beside.txt'} is a file, not a folder: choose another "
            "folder with --site-dir, or move the file away",
        ),
    }


@pytest.mark.parametrize("case", list(site_cases(Path("p"))))
def test_a_site_folder_that_is_not_sabaqs_is_refused_and_nothing_changes(
    world: Path, case: str
) -> None:
    site_dir, message = site_cases(world)[case]
    before = snapshot(world.parent)

    run = build(world, "--site-dir", site_dir)

    refused(run, message)
    assert snapshot(world.parent) == before


@pytest.mark.parametrize("given", ["default", "--site-dir"])
def test_a_site_folder_that_is_a_link_is_refused_and_not_followed(world: Path, given: str) -> None:
    """A cloned repository can carry `site` as a link to `../own`; `sabaq build` would replace
    ../own with the site."""
    link = world / "site" if given == "default" else world.parent / "published"
    link.symlink_to(world.parent / "own")
    before = snapshot(world.parent)

    run = build(world) if given == "default" else build(world, "--site-dir", str(link))

    refused(
        run,
        f"the site folder {link} is a link to {world.parent / 'own'}: a build replaces the whole "
        "site folder, and through a link it would replace what the link points to. Give the "
        "real folder with --site-dir, or remove the link",
    )
    assert snapshot(world.parent) == before


def test_a_site_built_before_the_marker_existed_is_replaced(world: Path) -> None:
    """Sites built by an earlier Sabaq have no marker: one holding only what a build writes (the
    language chooser, .nojekyll, language folders) is recognised and replaced; one with anything
    else in it is not."""
    assert build(world).code == 0
    site = world / "site"
    (site / MARKER).unlink()

    assert build(world).code == 0
    assert (site / MARKER).is_file()

    (site / MARKER).unlink()
    (site / "my-notes.txt").write_text("mine", encoding="utf-8")
    before = snapshot(world.parent)
    run = build(world)
    assert run.code == 2 and "holds files Sabaq did not make" in run.stderr, run.stderr
    assert snapshot(world.parent) == before


def test_leftovers_of_a_killed_build_are_removed_by_the_next_and_only_sabaqs(world: Path) -> None:
    """A build killed half-way leaves `.site-build-*` (and, in the instant of replacing the
    site, `.site-old-*`) beside the site: the next build removes those carrying Sabaq's marker,
    and leaves alone a folder or a link of the same name that is not Sabaq's."""
    for name in (".site-build-killed", ".site-old-.site-build-killed"):
        write_files(world / name, {"en/index.html": "half"})
        mark(world / name, SITE)
    write_files(world / ".site-build-mine", {"notes.txt": "mine"})
    (world / ".site-old-link").symlink_to(world.parent / "own")
    before = snapshot(world.parent, leave_out=world)

    run = build(world)

    assert run.code == 0, run.stderr
    assert sorted(p.name for p in world.iterdir() if p.name.startswith(".site")) == [
        ".site-build-mine",
        ".site-old-link",
    ]
    assert (world / ".site-build-mine" / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert snapshot(world.parent, leave_out=world) == before


def test_a_builds_temporary_folders_are_ignored_by_git() -> None:
    names = ["site/", ".site-build-abc123/", ".site-old-.site-build-abc123/", ".sabaq-cache/"]
    done = subprocess.run(
        ["git", "check-ignore", "--no-index", *names], cwd=REPO, capture_output=True, text=True
    )
    assert done.stdout.split() == names


# --- The command line and the environment ------------------------------------------------------


def test_a_project_that_does_not_exist_or_is_a_file(world: Path) -> None:
    missing = build(world, "--project", "../nowhere")
    refused(
        missing,
        "there is no folder ../nowhere: give the course project's folder (the one holding "
        "courses/ and quizzes/) with --project",
    )
    a_file = run_sabaq("check", "--project", "../beside.txt", cwd=world)
    refused(
        a_file,
        "../beside.txt is a file, not a folder: give the course project's folder (the one "
        "holding courses/ and quizzes/) with --project",
    )


@pytest.mark.parametrize("port", ["0", "65536", "-1", "http"])
def test_a_port_out_of_range_is_refused(world: Path, port: str) -> None:
    run = run_sabaq("serve", "--port", port, cwd=world)
    assert run.code == 2 and "Traceback" not in run.stderr, run.stderr
    assert run.stderr.endswith(
        f"sabaq serve: error: argument --port: '{port}' is not a port: give a number from 1 to "
        "65535\n"
    )


def test_a_port_in_use_is_refused(world: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = run_sabaq("serve", "--port", str(port), cwd=world)
    refused(
        run,
        f"cannot preview on 127.0.0.1:{port}: Address already in use; choose another port "
        "with --port",
    )


@contextmanager
def mounted(folder: Path, *options: str) -> Iterator[Path]:
    """A small tmpfs at `folder` (tests run as root, so permissions do not stop a write: only a
    read-only or full file system does). Mounting needs root, as make test and CI have: without it
    the test fails rather than skip, so a missing permission is never mistaken for a pass."""
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", *options, str(folder)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        pytest.fail(f"cannot mount a file system here (needs root): {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def remount(folder: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(folder)], check=True)


def edit(project: Path) -> None:
    module = project / "courses" / "demo" / "01-first.yml"
    module.write_text(module.read_text(encoding="utf-8").replace("Hello.", "Hi."), "utf-8")


def test_a_site_folder_that_cannot_be_written(world: Path, tmp_path: Path) -> None:
    with mounted(tmp_path / "disk", "-t", "tmpfs", "-o", "size=8m", "tmpfs") as disk:
        assert build(world, "--site-dir", str(disk / "site")).code == 0
        remount(disk, "ro")
        edit(world)
        before = snapshot(tmp_path, leave_out=world)

        run = build(world, "--site-dir", str(disk / "site"))

        refused(
            run,
            f"cannot write {disk}: Read-only file system. Make the folder writable, or choose "
            "one you can write: --site-dir for the site, and --no-cache if the project folder "
            "cannot be written",
        )
        assert snapshot(tmp_path, leave_out=world) == before


def test_a_site_folder_that_is_immutable(world: Path, tmp_path: Path) -> None:
    """`chattr +i`: even root may not add to the folder (Operation not permitted)."""
    out = tmp_path / "out"
    assert build(world, "--site-dir", str(out / "site")).code == 0
    done = subprocess.run(["chattr", "+i", str(out)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.fail(f"cannot make a folder immutable here (needs root): {done.stderr.strip()}")
    try:
        edit(world)
        before = snapshot(tmp_path, leave_out=world)

        run = build(world, "--site-dir", str(out / "site"))

        refused(
            run,
            f"not allowed to write or read {out}: Operation not permitted. Make the folder "
            "writable, or choose one you can write: --site-dir for the site, and --no-cache if "
            "the project folder cannot be written",
        )
        assert snapshot(tmp_path, leave_out=world) == before
    finally:
        subprocess.run(["chattr", "-i", str(out)], check=True)


def test_a_project_folder_that_cannot_be_written(world: Path, tmp_path: Path) -> None:
    assert build(world, "--no-cache").code == 0
    with mounted(world, "--bind", str(world)):
        remount(world, "bind,ro")
        before = snapshot(tmp_path)

        run = build(world)

        refused(
            run,
            f"cannot write {world / '.sabaq-cache'}: Read-only file system. Make the folder "
            "writable, or choose one you can write: --site-dir for the site, and --no-cache if "
            "the project folder cannot be written",
        )
        assert snapshot(tmp_path) == before


def test_a_full_disk_leaves_the_previous_site_and_no_half_built_folder(
    world: Path, tmp_path: Path
) -> None:
    with mounted(tmp_path / "disk", "-t", "tmpfs", "-o", "size=8m", "tmpfs") as disk:
        site = disk / "site"
        assert build(world, "--site-dir", str(site)).code == 0
        used = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
        # Room for a fraction of another site: the next build fills the disk half-way.
        remount(disk, f"size={used + used // 3}")
        edit(world)
        before = snapshot(tmp_path, leave_out=world)

        run = build(world, "--site-dir", str(site))

        assert run.code == 2 and "Traceback" not in run.stderr, run.stderr
        assert re.fullmatch(
            rf"sabaq: error: the disk is full \(writing {re.escape(str(disk))}/\S+\): free some "
            r"space, then try again",
            run.stderr.splitlines()[-1],
        ), run.stderr
        assert run.stderr.count("error") == 1, run.stderr
        after = snapshot(tmp_path, leave_out=world)
        # The disk's own folder changed time: the build made its folder there and removed it.
        assert after.pop("disk")[0] == before.pop("disk")[0] == "folder"
        assert after == before
