"""Redaction: labelled placeholders in text and transcript, and silence in the published recording at the redacted
words' time range, measured on the decoded samples of the real published copy."""

from pathlib import Path

import pytest
from django.core.cache import cache

from moderation import redaction
from moderation.models import StoryStatus
from moderation.redaction import Span
from moderation.workflows import start_moderation
from stories.models import StoryPage
from tests import media_factory, sharing
from tests.factories import heard_word, site_tree
from tests.moderators import action_url, moderator, sign_in
from tests.workers import run_queue
from transcription.corrections import realign_words
from transcription.models import Transcript

# What Whisper would have heard in the test recording, as transcription stores it (segment text stripped, words with
# their leading spaces): the name is spoken from 1.5 s to 2.4 s.
SEGMENTS = [
    {
        "start": 0.5,
        "end": 3.3,
        "text": "My nurse Jane Doe was kind.",
        "words": [
            heard_word(" My", 0.5, 0.8),
            heard_word(" nurse", 0.9, 1.3),
            heard_word(" Jane", 1.5, 1.9),
            heard_word(" Doe", 2.0, 2.4),
            heard_word(" was", 2.6, 2.8),
            heard_word(" kind.", 2.9, 3.3),
        ],
    },
    {
        "start": 3.5,
        "end": 5.5,
        "text": "The ward was loud at night.",
        "words": [
            heard_word(" The", 3.5, 3.7),
            heard_word(" ward", 3.8, 4.2),
            heard_word(" was", 4.3, 4.5),
            heard_word(" loud", 4.6, 5.0),
        ]
        + [heard_word(" at", 5.05, 5.15), heard_word(" night.", 5.2, 5.5)],
    },
]


def test_text_spans_become_labelled_placeholders():
    text = "I saw Dr Patel at St Mary's on 3 May."
    spans = [Span(*redaction.locate_passage(text, "Dr Patel"), "[name removed]")]
    spans.append(Span(*redaction.locate_passage(text, "St Mary's"), "[place removed]"))
    assert redaction.redact_text(text, spans) == "I saw [name removed] at [place removed] on 3 May."
    with pytest.raises(ValueError):
        redaction.redact_text("abcdef", [Span(0, 3, "[x]"), Span(2, 4, "[y]")])


def test_the_selected_range_is_the_one_redacted_and_nothing_is_counted():
    text = "Sam rang, and Sam came to the West of town."
    # The first of two occurrences, as selected: exactly that one.
    assert redaction.locate_passage(text, "Sam", 0, 3) == (0, 3)
    assert redaction.locate_passage(text, "Sam", 14, 17) == (14, 17)
    # Words that appear once can be typed by hand (no selection script); words that appear twice cannot.
    assert redaction.locate_passage(text, "the West") == (26, 34)
    with pytest.raises(redaction.PassageNotFound, match="appear 2 times"):
        redaction.locate_passage(text, "Sam")
    with pytest.raises(redaction.PassageNotFound, match="not in this part"):
        redaction.locate_passage(text, "Jane")
    # A range that no longer holds the words (the text changed, or a tampered form) is refused, never guessed.
    for start, end in [(1, 4), (30, 200), (5, 5)]:
        with pytest.raises(redaction.PassageNotFound, match="select them again"):
            redaction.locate_passage(text, "Sam", start, end)


def test_a_transcript_span_maps_to_its_words_time_range():
    name = Span(*redaction.locate_passage(SEGMENTS[0]["text"], "Jane Doe"), "[name removed]")
    start, end = redaction.time_range(SEGMENTS[0], name)
    assert start == pytest.approx(1.5 - redaction.SILENCE_MARGIN_SECONDS)
    assert end == pytest.approx(2.4 + redaction.SILENCE_MARGIN_SECONDS)
    redacted = redaction.redact_segment(SEGMENTS[0], [name])
    assert redacted["text"] == "My nurse [name removed] was kind."
    assert [w["word"] for w in redacted["words"]] == [" My", " nurse", " [name removed]", " was", " kind."]
    assert (redacted["words"][2]["start"], redacted["words"][2]["end"]) == (1.5, 2.4)


def test_words_in_a_corrected_line_keep_their_own_time_range():
    # Whisper heard "Jane Dough"; the contributor corrected it. Redacting two words silences those two, not the line.
    heard = {**SEGMENTS[0], "text": "My nurse Jane Dough was kind."}
    heard["words"] = [{**w, "word": " Dough"} if w["word"] == " Doe" else w for w in SEGMENTS[0]["words"]]
    text = "My nurse Jane Doe was kind."
    corrected = {**heard, "text": text, "words": realign_words(heard, text)}
    margin = redaction.SILENCE_MARGIN_SECONDS
    span = Span(*redaction.locate_passage(text, "Jane Doe"), "")
    assert redaction.time_range(corrected, span) == pytest.approx((1.5 - margin, 2.4 + margin))
    span = Span(*redaction.locate_passage(text, "kind"), "")
    assert redaction.time_range(corrected, span) == pytest.approx((2.9 - margin, 3.3 + margin))
    # Only a line without any word timings is silenced whole.
    line = {"start": 3.5, "end": 5.5, "text": "The ward on Elm Street was loud.", "words": []}
    assert redaction.time_range(line, Span(12, 22, "[place removed]")) is None


@pytest.mark.django_db
def test_a_name_redacted_in_an_audio_story_is_silent_in_the_published_recording(
    client, tmp_path, django_capture_on_commit_callbacks
):
    cache.clear()
    site_tree()
    recording = media_factory.sine_tone(tmp_path / "story.ogg", seconds=6.0, amplitude=0.5)
    contribution, key = sharing.share_recording(client, recording)
    page = StoryPage.objects.get()
    # Transcription's worker stores what it heard; the contributor checks it; then the story goes to moderation.
    transcript = Transcript.objects.create(
        story=page, language="en", duration=6.0, segments=SEGMENTS, model_name="test", text=""
    )
    transcript.confirm()
    start_moderation(contribution)

    mo = sign_in(moderator())
    review = mo.get(f"/admin/moderation/story/{contribution.pk}/").content.decode()
    assert "My nurse Jane Doe was kind." in review and page.media.url in review
    response = mo.post(
        f"/admin/moderation/story/{contribution.pk}/redactions/",
        {
            "where": "transcript:0",
            "passage": "Jane Doe",
            "code": "identifies_third_party",
            "label": "name",
        },
    )
    assert response.status_code == 302
    assert mo.post(action_url(contribution, "propose_edits")).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/my-story/{key}/edits/", {"answer": "accept"}).status_code == 302
    run_queue("publication")  # the worker makes the silenced copy and publishes

    contribution.refresh_from_db()
    page.refresh_from_db()
    media = page.media
    assert contribution.status == StoryStatus.PUBLISHED and page.live and page.show_media
    assert media.published_file.name and media.published_file.name != media.file.name

    samples, rate = media_factory.decode_mono(Path(media.published_file.path))

    def loudness(start: float, end: float) -> float:
        return media_factory.rms(samples[int(start * rate) : int(end * rate)])

    # The name's time range is silent; the words around it keep their sound.
    assert loudness(1.5, 2.4) < 0.001
    assert loudness(0.5, 1.3) > 0.2 and loudness(2.6, 5.5) > 0.2
    assert len(samples) / rate == pytest.approx(6.0, abs=0.1)
    # The original stays as it was, and private.
    original, _ = media_factory.decode_mono(Path(media.file.path))
    assert media_factory.rms(original[int(1.5 * rate) : int(2.4 * rate)]) > 0.2

    captions = client.get(f"/captions/{page.pk}.vtt")
    assert captions.status_code == 200
    vtt = captions.content.decode()
    assert "Jane" not in vtt and "Doe" not in vtt and "[name removed]" in vtt
    html = client.get(page.url).content.decode()
    assert "Jane" not in html and "Doe" not in html and "[name removed]" in html
    assert "Jane" not in page.transcript_text
