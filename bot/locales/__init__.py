"""Wording catalogs: one YAML file per supported language (see docs/adding-a-language.md)."""
