"""Course pictures: checked at path:line:column, resized, stripped of metadata, lazy in the page."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from sabaq_testing import MINIMAL_PROJECT, run_sabaq, write_files

from builder.content.pictures import MAX_WIDTH, image_problem
from builder.render.images import with_image_attributes

MODULE_WITH_PICTURES = """
    id: first
    title: First module
    duration_minutes: 20
    sections:
      - heading: Start
        body: |
          Look:

          ![A wide photo](images/wide.jpg)
      - heading: Chart
        body: |
          ![A small chart](images/chart.png "Votes")
    quiz:
      bank: basics
    """


def _project(tmp_path: Path, module: str = MODULE_WITH_PICTURES) -> Path:
    project = write_files(
        tmp_path / "project", {**MINIMAL_PROJECT, "courses/demo/01-first.yml": module}
    )
    images = project / "courses" / "demo" / "images"
    images.mkdir(parents=True)
    wide = Image.new("RGB", (3000, 1000), "navy")
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    wide.save(images / "wide.jpg", exif=exif.tobytes())
    Image.new("RGB", (400, 300), "white").save(images / "chart.png")
    return project


def test_pictures_are_resized_stripped_and_lazy(tmp_path: Path) -> None:
    project = _project(tmp_path)
    run = run_sabaq("build", "--lang", "en", cwd=project)
    assert run.code == 0, run.stderr
    module_dir = project / "site" / "en" / "demo" / "first"
    html = (module_dir / "index.html").read_text(encoding="utf-8")
    height = round(1000 * MAX_WIDTH / 3000)
    assert (
        f'<img alt="A wide photo" decoding="async" height="{height}" loading="lazy" '
        f'src="../images/wide.jpg" width="{MAX_WIDTH}" />' in html
    )
    assert 'height="300" loading="lazy" src="../images/chart.png" title="Votes" width="400"' in html
    with Image.open(project / "site" / "en" / "demo" / "images" / "wide.jpg") as written:
        assert written.size == (MAX_WIDTH, height)
        assert (
            b"SecretCam"
            not in (project / "site" / "en" / "demo" / "images" / "wide.jpg").read_bytes()
        )
        assert not written.getexif()


def test_missing_and_remote_pictures_are_errors(tmp_path: Path) -> None:
    module = MODULE_WITH_PICTURES.replace(
        "images/chart.png", "https://example.org/chart.png"
    ).replace("images/wide.jpg", "images/wdie.jpg")
    project = _project(tmp_path, module)
    run = run_sabaq("check", cwd=project)
    assert run.code == 1
    assert run.stderr.splitlines()[:4] == [
        "courses/demo/01-first.yml:9:23: sections[0].body: there is no image 'images/wdie.jpg' in the course's folder",
        "    hint: put the file in the course's images/ folder; the images there are: images/chart.png, images/wide.jpg",
        "courses/demo/01-first.yml:12:24: sections[1].body: the image 'https://example.org/chart.png' would be loaded from another site each time the page is read",
        "    hint: save it into the course's images/ folder (if its licence allows) and link it as images/<name>",
    ]


def test_a_missing_picture_in_a_translation_is_reported_where_it_is(tmp_path: Path) -> None:
    """The error points at the picture's name in the translation's text, the thing to fix."""
    project = _project(tmp_path)
    (project / "courses/demo/01-first.ru.yml").write_text(
        "status: draft\n"
        "sections:\n"
        "  - body: |\n"
        "      Смотрите:\n"
        "\n"
        "      Фото: ![Широкое фото](images/wide.jpg) и ![Схема](images/shema.png)\n",
        encoding="utf-8",
    )
    run = run_sabaq("check", cwd=project)
    assert run.code == 1
    assert run.stderr.splitlines()[:2] == [
        "courses/demo/01-first.ru.yml:6:57: sections[0].body: there is no image 'images/shema.png' in the course's folder",
        "    hint: put the file in the course's images/ folder; the images there are: images/chart.png, images/wide.jpg",
    ]


def test_module_cannot_take_the_pictures_folder_name(make_project) -> None:
    project = make_project(
        {
            **MINIMAL_PROJECT,
            "courses/demo/course.yml": MINIMAL_PROJECT["courses/demo/course.yml"].replace(
                "[first, second]", "[first, images]"
            ),  # type: ignore[union-attr]
            "courses/demo/02-second.yml": "",
            "courses/demo/02-images.yml": str(
                MINIMAL_PROJECT["courses/demo/02-second.yml"]
            ).replace("id: second", "id: images"),
        }
    )
    (project / "courses/demo/02-second.yml").unlink()
    run = run_sabaq("check", cwd=project)
    assert run.code == 1
    assert (
        "courses/demo/02-images.yml:1:5: id: 'images' is the name of the course's pictures folder, so a module cannot use it"
        in run.stderr
    )


def test_attributes_are_added_once() -> None:
    sizes = {"images/a.png": (10, 20)}
    once = with_image_attributes("![a](images/a.png)", sizes)
    assert once == '![a](images/a.png){ width="10" height="20" loading="lazy" decoding="async" }'
    assert with_image_attributes(once, sizes) == once


def test_image_problem_normalises_paths() -> None:
    assert image_problem("./images/a.png", {"images/a.png": 1}) is None
    assert image_problem("//cdn.example/a.png", {})[0].startswith("the image '//cdn.example/a.png'")  # type: ignore[index]
