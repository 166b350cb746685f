"""Keeping story keys out of the logs.

A story key is a credential, and it travels in the path of /my-story/<key>/ (and so in the development server's
access lines, CSRF warnings and anything else that logs a path). So does the emailed token that issues a new key,
in /my-story/lost-link/<token>/. The filter masks both in every record.
"""

import logging
import re

# The segment after /my-story/ (or after /my-story/lost-link/), except the words "lost-link" themselves.
_STORY_KEY_IN_PATH = re.compile(r"(/my-story/(?:lost-link/)?)(?!lost-link(?:[/\s\"'?#]|$))[^/\s\"'?#]+")


def redact(text: str) -> str:
    return _STORY_KEY_IN_PATH.sub(r"\1[key]", text)


class RedactStoryKeys(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) if isinstance(arg, str) else arg for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {name: redact(arg) if isinstance(arg, str) else arg for name, arg in record.args.items()}
        return True
