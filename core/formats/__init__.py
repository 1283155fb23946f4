"""Readers and writers for the file formats claimmark imports and exports."""
