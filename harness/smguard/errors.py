"""The two errors the CLI turns into exit code 2. Anything else is a bug."""


class SmguardError(Exception):
    """Base class: a problem to report on one line, exit code 2."""


class InputError(SmguardError):
    """The input could not be read: missing, malformed or not a plan."""


class EngineError(SmguardError):
    """The policy engine failed, or did not evaluate the rules it should have."""
