"""Video lines become click-to-load placeholders; nothing in them points at the provider's
servers except the player address kept for the click and the plain link."""

from __future__ import annotations

import markdown
import pytest

from builder.features.embeds.embeds import parse_video
from builder.render.privacy import content_security_policy


def render(text: str, language: str = "en") -> str:
    return markdown.markdown(
        text,
        extensions=["builder.features.embeds.embeds"],
        extension_configs={"builder.features.embeds.embeds": {"language": language}},
    )


@pytest.mark.parametrize(
    ("url", "player", "page"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        ),
        (
            "https://youtu.be/dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        ),
        (
            "https://m.youtube.com/shorts/dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        ),
        (
            "https://vimeo.com/76979871",
            "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1",
            "https://vimeo.com/76979871",
        ),
        (
            "https://vimeo.com/76979871/abc123",
            "https://player.vimeo.com/video/76979871?h=abc123&dnt=1&autoplay=1",
            "https://vimeo.com/76979871/abc123",
        ),
    ],
)
def test_known_providers(url: str, player: str, page: str) -> None:
    video = parse_video(url)
    assert video is not None
    assert (video.player_url, video.page_url) == (player, page)


@pytest.mark.parametrize(
    "url",
    ["https://example.com/video", "https://www.youtube.com/watch?v=short", "javascript:alert(1)"],
)
def test_unknown_addresses_are_not_videos(url: str) -> None:
    assert parse_video(url) is None


def test_the_placeholder_names_provider_title_and_duration_and_loads_nothing() -> None:
    html = render(
        'Before.\n\n::video https://youtu.be/dQw4w9WgXcQ "Lateral reading" 4:35\n\nAfter.'
    )
    assert '<figcaption class="sabaq-embed__title">Lateral reading</figcaption>' in html
    assert "Duration: 4:35" in html
    assert "Load the video from YouTube" in html
    assert "<iframe" not in html and "<img" not in html
    assert html.startswith("<p>Before.</p>") and html.rstrip().endswith("<p>After.</p>")


def test_the_placeholder_speaks_the_page_language() -> None:
    assert "Vimeo" in render("::video https://vimeo.com/76979871", "ru")
    assert render("::video https://vimeo.com/76979871", "ru") != render(
        "::video https://vimeo.com/76979871", "en"
    )


def test_a_line_naming_an_unknown_provider_stays_text(caplog: pytest.LogCaptureFixture) -> None:
    assert render("::video https://example.com/x") == "<p>::video https://example.com/x</p>"
    assert "a video line must be" in caplog.text


def test_only_pages_with_videos_may_frame_the_players() -> None:
    assert "frame-src 'none'" in content_security_policy()
    assert (
        "frame-src https://player.vimeo.com https://www.youtube-nocookie.com"
        in content_security_policy(embeds=True)
    )
    assert "unsafe-inline" not in content_security_policy(embeds=True)
