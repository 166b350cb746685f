"""Media intake: decide by content whether an upload is audio or video we accept, and store it privately.

Interface (implemented by the intake work; the share flow codes against it):

    class MediaRejected(Exception):      # .message: a kind, plain-English sentence for the contributor
    @dataclass(frozen=True)
    class ProbedMedia: kind ("audio"|"video"), container, audio_codec, video_codec, duration (s), content_type,
                       extension, width, height
    def probe(path: Path) -> ProbedMedia                        # raises MediaRejected
    def store_upload(upload: UploadedFile, *, title: str) -> StoryMedia   # probe, remux if needed, save privately
"""
