"""The message path as pure functions: bytes → article or dead letter → enriched."""
