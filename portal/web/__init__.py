"""Flask glue shared by every entry point."""
