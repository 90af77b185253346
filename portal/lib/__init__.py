"""Framework-free, database-free technical code."""
