"""How long a text and how long a list in a course file may be: Sabaq's limits, in one place.

A build's output and memory must grow with the course, not with the square of one field: every
page's navigation lists every module of its course (modules x title), and each item of a matching
question offers every other item (pairs x pairs). These limits keep that bounded while staying far
above what real courses use. `builder/content/model.py` declares them on its fields, so the JSON Schemas
for editors carry them too, and docs/authoring.md lists them with the reasons below; a test checks
that the two agree.

Characters are counted as Python counts them (one per Unicode code point), the same in every
script, so a Russian title has the same room as an English one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """The most a course file may hold. Each limit is documented, with its reason, in
    docs/authoring.md ("Limits")."""

    id_length: int = 64
    """Characters in an id. Ids are parts of file names and addresses
    (`<lang>/<course>/<module>/index.html`, `<course>-<lang>.zip`): 64 keeps every name far below
    the 255 bytes a file name may have, and a package unpacked on Windows below its 260-character
    paths. The longest id in the bundled courses has 28."""

    title_length: int = 300
    """Characters in a title or heading (course, module, quiz, section, callout). Titles are
    repeated in the navigation of every page of a course; 300 is three lines of a long headline."""

    choice_length: int = 500
    """Characters in a text a reader picks from: an option, an ordering step, a matching item, an
    accepted answer, a unit. Each matching item is offered in every other item's menu."""

    text_length: int = 5_000
    """Characters in any other text outside a section's body: a summary, an objective, a prompt,
    an explanation, a feedback, a claim, a source's title. 5,000 is about 800 words, a long
    quoted passage."""

    body_length: int = 50_000
    """Characters in one section's or callout's body. A whole module of 2,000 words is about
    13,000 characters; 50,000 is some 8,000 words in one section, a book chapter."""

    modules_per_course: int = 100
    """Modules in one course. Every page of a course lists all its modules; real courses have
    3 to 20."""

    sections_per_module: int = 50
    """Sections in one module, each a heading in the page's table of contents. A 2,000-word module
    has about 10."""

    callouts_per_section: int = 20
    """Tip, warning, example and exercise boxes after one section's text."""

    objectives_per_module: int = 30
    """Learning objectives of one module; a reader takes in about five."""

    sources_per_module: int = 100
    """Sources cited at the end of one module."""

    authors_per_course: int = 50
    """Authors named on a course page."""

    questions_per_bank: int = 200
    """Questions in one quiz bank (and so in one module's quiz): every question of a quiz is on
    the module's page."""

    options_per_question: int = 20
    """Options of one choice or claim-rating question."""

    steps_per_question: int = 20
    """Steps of one ordering question."""

    pairs_per_question: int = 20
    """Pairs of one matching question: each left item's menu offers every right item, so the
    page grows with the square of this number."""

    accepted_answers_per_question: int = 50
    """Accepted answers of one fill-in-the-blank question, in one language."""

    module_minutes: int = 1_440
    """A module's duration in minutes: at most a day, since a module is read in one sitting."""

    @property
    def shortest_list(self) -> int:
        """The smallest limit on a list's length (a translation under it, with no text longer
        than `title_length`, cannot break any limit)."""
        return min(value for name, value in vars(self).items() if name.endswith(_LIST_LIMITS))


#: The name endings of the limits on lists' lengths.
_LIST_LIMITS = ("_per_course", "_per_module", "_per_section", "_per_bank", "_per_question")


LIMITS = Limits()
