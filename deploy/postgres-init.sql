-- The knowledge database beside the conversations database (created by POSTGRES_DB).
CREATE DATABASE knowledge OWNER welcome;
