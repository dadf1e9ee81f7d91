"""Careless and hostile input: each case asserts the exit code, a message saying what, where and what to do, no traceback and nothing changed outside the command's own output."""
