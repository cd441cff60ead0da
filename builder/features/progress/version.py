"""A course's version: a short hash of its content, the same in every language.

A progress file and a certificate name it, so that a trainer can tell which course a trainee
finished when the course has changed since (a new module, an edited quiz).
"""

from __future__ import annotations

import hashlib

from builder.content.project import CourseProject, Project


def course_version(course_project: CourseProject, project: Project) -> str:
    """12 hex digits over the course file, its modules and the quiz banks they use, as written
    in the source language (a fixed translation does not change the version). Worked out once
    per course: every page of the course names it."""
    if "version" not in course_project.memo:
        course_project.memo["version"] = _version(course_project, project)
    return course_project.memo["version"]


def _version(course_project: CourseProject, project: Project) -> str:
    course = course_project.course
    source = course_project.editions[course.source_language]
    digest = hashlib.sha256(course.model_dump_json().encode("utf-8"))
    banks: set[str] = set()
    for module_edition in source.modules:
        # Trainer notes are not part of what a trainee took: editing them changes no version.
        digest.update(module_edition.module.model_dump_json(exclude={"trainer"}).encode("utf-8"))
        if module_edition.module.quiz is not None:
            banks.add(module_edition.module.quiz.bank)
    for bank_id in sorted(banks):
        editions = project.banks.get(bank_id, {})
        bank = next((e.bank for e in editions.values() if e.status == "source"), None)
        if bank is not None:
            digest.update(bank.model_dump_json().encode("utf-8"))
    return digest.hexdigest()[:12]
