"""WebVTT and plain text from segments, and the public captions URL of a published story."""

import re

import pytest
import webvtt

from stories.captions import LINE_LENGTH, cues, plain_text, timestamp
from stories.captions import webvtt as make_webvtt
from tests.speech_samples import story_with_recording

TIMING = re.compile(r"^(\d{2}):(\d{2}):(\d{2})\.(\d{3}) --> (\d{2}):(\d{2}):(\d{2})\.(\d{3})$")


def seconds(h, m, s, ms) -> float:
    return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000


def assert_strict_webvtt(text: str) -> list[tuple[float, float, list[str]]]:
    """A strict reading of the WebVTT rules captions must follow; returns (start, end, lines) per cue."""
    assert text.startswith("WEBVTT\n\n") and text.endswith("\n") and "\r" not in text
    parsed, previous_start = [], 0.0
    for block in text.rstrip("\n").split("\n\n")[1:]:
        timing, *lines = block.split("\n")
        match = TIMING.match(timing)
        assert match, timing
        start, end = seconds(*match.groups()[:4]), seconds(*match.groups()[4:])
        assert previous_start <= start < end
        assert 1 <= len(lines) <= 2 and all(line.strip() == line and line for line in lines)
        for line in lines:
            assert "-->" not in line and "<" not in line and not re.search(r"&(?!amp;|lt;|gt;)", line)
            visible = line.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
            assert len(visible) <= LINE_LENGTH or " " not in visible
        parsed.append((start, end, lines))
        previous_start = start
    # And an independent parser reads the same cues.
    assert [(c.start_in_seconds, c.text) for c in webvtt.from_string(text)] == [
        (int(start), "\n".join(lines)) for start, _, lines in parsed
    ]
    return parsed


def words(text: str, start: float, step: float = 0.4) -> list[dict]:
    return [
        {
            "start": round(start + i * step, 3),
            "end": round(start + (i + 1) * step, 3),
            "word": f" {w}",
            "probability": 1,
        }
        for i, w in enumerate(text.split())
    ]


SEGMENTS = [
    {
        "start": 0.5,
        "end": 2.1,
        "text": "Hello <b>there</b> & welcome.",
        "words": words("Hello <b>there</b> & welcome.", 0.5),
    },
    {
        "start": 3725.25,
        "end": 3745.0,
        "text": "A long line " * 12,
        "words": words("A long line " * 12, 3725.25, step=0.5),
    },
    # A line the contributor corrected: no word timings, only the line's own.
    {"start": 3800.0, "end": 3806.0, "text": "I said this, not that --> and more " * 4, "words": []},
]


def test_timestamps():
    assert timestamp(0) == "00:00:00.000"
    assert timestamp(3725.2504) == "01:02:05.250"
    assert timestamp(59.9996) == "00:01:00.000"
    assert timestamp(-0.2) == "00:00:00.000"


def test_webvtt_is_strictly_valid_escaped_and_short_lined():
    text = make_webvtt(SEGMENTS)
    parsed = assert_strict_webvtt(text)
    assert parsed[0] == (0.5, 2.1, ["Hello &lt;b&gt;there&lt;/b&gt; &amp; welcome."])
    long_cues = [cue for cue in parsed if 3725 <= cue[0] < 3800]
    assert len(long_cues) >= 2 and long_cues[0][0] == 3725.25 and long_cues[-1][1] == 3743.25
    corrected = [cue for cue in parsed if cue[0] >= 3800]
    assert corrected[0][0] == 3800.0 and corrected[-1][1] == pytest.approx(3806.0, abs=0.001)
    assert " ".join(" ".join(lines) for *_, lines in corrected) == " ".join(SEGMENTS[2]["text"].split()).replace(
        ">", "&gt;"
    )


def test_cues_never_go_back_in_time_or_have_no_length():
    overlapping = [
        {"start": 5.0, "end": 5.0, "text": "Same instant", "words": []},
        {"start": 4.0, "end": 6.0, "text": "Earlier start", "words": []},
    ]
    result = cues(overlapping)
    assert result[0].end > result[0].start and result[1].start >= result[0].start
    assert_strict_webvtt(make_webvtt(overlapping))


def test_plain_text_is_one_line_per_segment():
    assert plain_text(SEGMENTS[:1] + [{"start": 1, "end": 2, "text": "  ", "words": []}]) == (
        "Hello <b>there</b> & welcome.\n"
    )


@pytest.mark.django_db
def test_captions_are_served_only_for_live_stories(client, tmp_path):
    story = story_with_recording(None, title="Published")
    story.transcript = SEGMENTS[:1]
    story.save_revision().publish()
    response = client.get(f"/captions/{story.pk}.vtt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vtt; charset=utf-8"
    assert_strict_webvtt(response.content.decode())

    story.refresh_from_db()
    story.unpublish()
    assert client.get(f"/captions/{story.pk}.vtt").status_code == 404
    draft = story_with_recording(None, title="Draft")
    draft.transcript = SEGMENTS[:1]
    draft.save()
    assert client.get(f"/captions/{draft.pk}.vtt").status_code == 404
    assert client.get("/captions/999999.vtt").status_code == 404
