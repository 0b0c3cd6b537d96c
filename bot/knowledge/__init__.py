"""Municipal knowledge: YAML files staff edit, validated, stored with SQLAlchemy."""
