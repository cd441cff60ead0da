"""Videos that load nothing from their provider until the reader asks for them.

A trainer writes one line in a module's Markdown:

    ::video https://www.youtube.com/watch?v=dQw4w9WgXcQ "How to read laterally" 4:35

(the title in straight double quotes and the duration are optional). The page shows a placeholder
naming the provider, the title and the duration, with a button. Only when the reader presses it
does `assets/embeds.js` put the provider's player in the page; without JavaScript the button is a
plain link to the video on the provider's site. No thumbnail is fetched from the provider: loading
one would tell it who opened the page.

A line that names a provider Sabaq does not know is left as text, with a warning.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as etree  # noqa: N813 (Python-Markdown's name for it)
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension

from builder.engine.material_classes import PRIMARY_BUTTON
from builder.render.i18n import messages

# MkDocs collects warnings from its own logger tree; the engine reports them with the build.
log = logging.getLogger("mkdocs.sabaq.embeds")

MARKER = "data-sabaq-embed"


@dataclass(frozen=True)
class Video:
    provider: str
    #: The player's address, loaded into an iframe after the reader's click.
    player_url: str
    #: The video's own page at the provider, for readers without JavaScript.
    page_url: str


@dataclass(frozen=True)
class Provider:
    #: The provider's name as readers know it.
    name: str
    #: The origin the player is framed from; the page's Content-Security-Policy allows it.
    frame_origin: str
    parse: Callable[[str], Video | None]


_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")


def _youtube(url: str) -> Video | None:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    video_id = ""
    if host == "youtu.be":
        video_id = parts.path.strip("/")
    elif host in ("youtube.com", "youtube-nocookie.com"):
        if parts.path == "/watch":
            video_id = (parse_qs(parts.query).get("v") or [""])[0]
        else:
            match = re.match(r"^/(?:embed|shorts|live)/([^/]+)", parts.path)
            video_id = match.group(1) if match else ""
    if not _YOUTUBE_ID.match(video_id):
        return None
    # youtube-nocookie.com is YouTube's "privacy-enhanced mode": no cookies until playback.
    return Video(
        "youtube",
        f"https://www.youtube-nocookie.com/embed/{video_id}?autoplay=1",
        f"https://www.youtube.com/watch?v={video_id}",
    )


def _vimeo(url: str) -> Video | None:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    match = None
    if host == "vimeo.com":
        match = re.match(r"^/(\d+)(?:/([0-9a-f]+))?/?$", parts.path)
    elif host == "player.vimeo.com":
        match = re.match(r"^/video/(\d+)/?$", parts.path)
    if match is None:
        return None
    video_id = match.group(1)
    # Unlisted videos carry a second, private part ("h") that the player needs too.
    private = match.group(2) if match.lastindex and match.lastindex > 1 else None
    private = private or (parse_qs(parts.query).get("h") or [""])[0] or None
    query = f"h={private}&" if private else ""
    # dnt=1: Vimeo's "do not track" setting for the player.
    return Video(
        "vimeo",
        f"https://player.vimeo.com/video/{video_id}?{query}dnt=1&autoplay=1",
        f"https://vimeo.com/{video_id}" + (f"/{private}" if private else ""),
    )


PROVIDERS: dict[str, Provider] = {
    "youtube": Provider("YouTube", "https://www.youtube-nocookie.com", _youtube),
    "vimeo": Provider("Vimeo", "https://player.vimeo.com", _vimeo),
}

_LINE = re.compile(
    r'^::video[ \t]+(?P<url>\S+)(?:[ \t]+"(?P<title>[^"]*)")?(?:[ \t]+(?P<duration>\d{1,2}(?::\d{2}){1,2}))?[ \t]*$'
)


def parse_video(url: str) -> Video | None:
    """The video at `url`, if it is on a provider Sabaq knows."""
    for provider in PROVIDERS.values():
        video = provider.parse(url)
        if video is not None:
            return video
    return None


def placeholder(video: Video, title: str, duration: str, language: str) -> etree.Element:
    """The click-to-load placeholder, as an element tree."""
    strings = messages(language)
    provider = PROVIDERS[video.provider].name
    figure = etree.Element("figure")
    figure.set("class", "sabaq-embed")
    figure.set(MARKER, video.provider)
    figure.set("data-sabaq-embed-player", video.player_url)
    figure.set("data-sabaq-embed-title", title or provider)
    if title:
        caption = etree.SubElement(figure, "figcaption")
        caption.set("class", "sabaq-embed__title")
        caption.text = title
    if duration:
        facts = etree.SubElement(figure, "p")
        facts.set("class", "sabaq-embed__duration")
        facts.text = strings.text("embed_duration", duration=duration)
    notice = etree.SubElement(figure, "p")
    notice.set("class", "sabaq-embed__notice")
    notice.text = strings.text("embed_notice", provider=provider)
    actions = etree.SubElement(figure, "p")
    link = etree.SubElement(actions, "a")
    link.set("class", f"{PRIMARY_BUTTON} sabaq-embed__load")
    link.set("href", video.page_url)
    # The provider is not told which course page the reader came from.
    link.set("rel", "noreferrer noopener")
    link.set("data-sabaq-embed-load", "")
    link.text = strings.text("embed_load", provider=provider)
    return figure


class _VideoProcessor(BlockProcessor):
    def __init__(self, parser: Any, language: str) -> None:
        super().__init__(parser)
        self.language = language

    def test(self, parent: etree.Element, block: str) -> bool:
        return block.startswith("::video")

    def run(self, parent: etree.Element, blocks: list[str]) -> bool:
        first, _, rest = blocks[0].partition("\n")
        match = _LINE.match(first)
        video = parse_video(match.group("url")) if match else None
        if match is None or video is None:
            log.warning(
                "a video line must be '::video <YouTube or Vimeo address> \"Title\" 4:35', "
                "but this one is not: %s",
                first,
            )
            return False  # left for the paragraph processor: the trainer sees the line as text
        blocks.pop(0)
        if rest.strip():
            blocks.insert(0, rest)
        parent.append(
            placeholder(
                video, match.group("title") or "", match.group("duration") or "", self.language
            )
        )
        return True


class VideoEmbedExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {"language": ["en", "The language of the placeholder's texts."]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API name)
        # Before the paragraph processor (10) would take the line as text.
        md.parser.blockprocessors.register(
            _VideoProcessor(md.parser, str(self.getConfig("language"))), "sabaq_video", 65
        )


def makeExtension(**kwargs: Any) -> VideoEmbedExtension:  # noqa: N802 (Markdown's API name)
    return VideoEmbedExtension(**kwargs)
