"""Small helpers every app may use; `core` imports nothing of the project's apps."""
