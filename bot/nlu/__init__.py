"""Custom NLU components (registered in config.yml by module path)."""
