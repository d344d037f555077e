"""What ``clausewise new``, ``review`` and ``codeowners`` write: pure functions
from the model and a file's text to new text."""
