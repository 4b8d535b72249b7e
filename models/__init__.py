"""The domain model: pure rules, the tables, the database and the repository functions."""
