"""The few exceptions the product raises on purpose, each with a message written for its user."""

from __future__ import annotations


class SafeBordersError(Exception):
    """Base class: an expected failure whose message can be shown as one line, without a traceback."""


class ConfigError(SafeBordersError):
    """A setting is missing or invalid; the message names the key."""


class IngestionError(SafeBordersError):
    """A document could not be loaded, scrubbed, chunked or indexed; the message names the file."""


class IndexUnavailableError(SafeBordersError):
    """The index is missing, corrupted or its server cannot be reached; the message says how to fix it."""


class ModelUnavailableError(SafeBordersError):
    """A model file, package or model server is missing or unreachable; the message says what to install."""


class ModelBusyError(ModelUnavailableError):
    """The model server has every slot and its whole queue taken: the question is refused at once, not queued."""


class InputError(SafeBordersError):
    """A question or case file the assistant cannot work with (empty, too long, unreadable)."""


class KeyedInputError(InputError):
    """An input error the UI shows in the reader's language: ``key`` names its i18n string, ``values`` fill it."""

    def __init__(self, key: str, message: str, **values: object) -> None:
        super().__init__(message)
        self.key = key
        self.values = values
