"""The database: tables, the engine and session factory, one repository module per aggregate, migrations."""
