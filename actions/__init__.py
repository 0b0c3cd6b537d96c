"""rasa_sdk action server: thin actions over `bot` (one module per concern)."""
