"""What transcription tells the rest of Voicebox. The core never imports governance: governance listens here.

Both signals are sent inside the transaction that stores the outcome, so a receiver's own writes (moving the story
on) commit together with the transcript, or not at all.
"""

from django.dispatch import Signal

# A story's transcription finished: `story_id`, and `status` "done" (a transcript is stored) or "no_speech".
transcript_ready = Signal()

# A story's transcription failed for good (unreadable recording, or too many attempts): `story_id`, `status`.
transcription_failed = Signal()
