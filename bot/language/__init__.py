"""Supported languages, message-level detection and the conversation's language."""
