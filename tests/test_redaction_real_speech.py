"""Every word of a real recording, redacted on its own, is silent in the published copy, and nothing else is.

The recording is real human speech: FLEURS fleurs-en-000 from ../shared (found through the `shared_speech` fixture),
or, where ../shared is absent, the first 15 s of the conversation shipped in the pyannote-audio wheel. The word
timings are real too: Whisper's (the base model the site runs), so this test runs Whisper and is marked so. Each word
goes through what a moderator's selection goes through (its character range in the line, `add_draft_redaction`,
the silence ranges publication uses) and then through the encoder that writes the published copy. Loudness is
compared with the original decoded the same way.
"""

from pathlib import Path

import numpy as np
import pytest

from moderation import redaction
from moderation.models import Redaction
from stories.media_publishing import write_published_copy
from tests import media_factory
from tests.factories import ContributionFactory, site_tree
from tests.speech_samples import SAMPLE_RATE, decode_mono, story_with_recording, write_wav
from transcription import engine
from transcription.models import Transcript

pytestmark = [pytest.mark.whisper, pytest.mark.django_db]

# A redacted word's own time range must be silent after encoding: at least 40 dB quieter than the word was. (The
# recordings are quiet: FLEURS speech peaks near -29 dBFS, so the bar is relative to each word, not absolute.)
SILENT_RATIO = 0.01
# Parts of the original quieter than this share of the recording's typical word are pauses: nothing to keep there.
PAUSE_RATIO = 0.1
# Everything outside the silenced range (and a guard for the encoder's frame overlap) keeps its loudness.
GUARD_SECONDS = 0.03
KEPT_RATIO = 0.8
# Parts of other words shorter than this, once the silenced range and guard are cut out, are too short to measure.
MIN_MEASURED_SECONDS = 0.05
PACKAGED_SECONDS = 15


@pytest.fixture
def real_recording(request, tmp_path) -> Path:
    try:
        return request.getfixturevalue("shared_speech") / "fleurs-en-000.ogg"
    except pytest.skip.Exception:  # no ../shared on this machine: the packaged recording instead
        wav, _reference = request.getfixturevalue("packaged_speech")
        speech = decode_mono(wav, SAMPLE_RATE)[: PACKAGED_SECONDS * SAMPLE_RATE]
        return write_wav(tmp_path / "conversation.wav", speech)


def word_spans(segment: dict) -> list[tuple[int, int]]:
    """Where each of Whisper's words sits in the line's text: the range selecting that word sends."""
    spans, cursor = [], 0
    for word in segment["words"]:
        token = word["word"].strip()
        start = segment["text"].index(token, cursor)
        spans.append((start, start + len(token)))
        cursor = start + len(token)
    return spans


def test_each_word_redacted_alone_is_silent_and_nothing_else_is(real_recording, tmp_path):
    heard = engine.transcribe(real_recording)
    segments = heard.segments_as_json()
    site_tree()
    story = story_with_recording(real_recording, title="Real speech")
    Transcript.objects.create(
        story=story, language=heard.language, duration=heard.duration, segments=segments, model_name="base"
    )
    contribution = ContributionFactory(story=story)
    original, rate = media_factory.decode_mono(Path(story.media.file.path))

    def loudness(samples: np.ndarray, start: float, end: float) -> float:
        return media_factory.rms(samples[int(start * rate) : int(end * rate)])

    words = [(i, w, span) for i, s in enumerate(segments) for w, span in zip(s["words"], word_spans(s), strict=True)]
    assert len(words) >= 15
    typical_word = float(np.median([loudness(original, w["start"], w["end"]) for _i, w, _span in words]))
    loudest_silence, quietest_kept, measured = 0.0, float("inf"), 0
    for index, word, (start, end) in words:
        drafted = redaction.add_draft_redaction(
            contribution,
            None,
            target=Redaction.Target.TRANSCRIPT,
            index=index,
            passage=segments[index]["text"][start:end],
            start=start,
            end=end,
            code="identifies_third_party",
            label="name",
            note="",
        )
        silence = redaction.silence_ranges([drafted])
        margin = redaction.SILENCE_MARGIN_SECONDS
        assert silence == [pytest.approx((max(0.0, word["start"] - margin), word["end"] + margin))]
        name = write_published_copy(story.media, silence=silence)
        copy_path = Path(story.media.published_file.storage.path(name))
        copy, copy_rate = media_factory.decode_mono(copy_path)
        copy_path.unlink()
        assert copy_rate == rate and abs(len(copy) - len(original)) < rate * 0.05

        # Its own range is silent (a word Whisper timed as a mere instant is measured over 20 ms).
        own_range = (word["start"], max(word["end"], word["start"] + 0.02))
        own = loudness(copy, *own_range) / max(loudness(original, *own_range), 1e-9)
        assert own < SILENT_RATIO, f"{word['word']!r} at {word['start']}-{word['end']} s kept {own:.4f} of its sound"
        loudest_silence = max(loudest_silence, own)
        # Every other word keeps its sound, outside the silenced range and the guard.
        low, high = silence[0][0] - GUARD_SECONDS, silence[0][1] + GUARD_SECONDS
        for _other_index, other, _span in words:
            if other is word:
                continue
            parts = ((other["start"], min(other["end"], low)), (max(other["start"], high), other["end"]))
            for part_start, part_end in parts:
                if part_end - part_start < MIN_MEASURED_SECONDS:
                    continue
                before = loudness(original, part_start, part_end)
                if before < PAUSE_RATIO * typical_word:
                    continue  # a pause inside Whisper's word: nothing to keep
                ratio = loudness(copy, part_start, part_end) / before
                assert ratio > KEPT_RATIO, f"{other['word']!r} lost its sound when {word['word']!r} was redacted"
                quietest_kept, measured = min(quietest_kept, ratio), measured + 1
        redaction.remove_draft_redaction(contribution, drafted.pk)
    assert measured >= len(words) * 5  # every word's neighbours were heard, not skipped

    decibels = 20 * np.log10(max(loudest_silence, 1e-9))
    print(  # the figures for the record (pytest -s)
        f"\n{real_recording.name}: {len(words)} words, each silenced alone; typical word RMS {typical_word:.4f}; "
        f"the least silenced word kept {loudest_silence:.5f} of its RMS ({decibels:.1f} dB, "
        f"bar {SILENT_RATIO}); {measured} measurements of other words, the quietest kept {quietest_kept:.3f} of its "
        f"RMS (bar {KEPT_RATIO})"
    )
