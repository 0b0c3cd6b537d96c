"""Input channels: REST with request validation (widget and messaging connectors follow)."""
