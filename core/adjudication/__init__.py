"""Adjudication: building the ``gold`` layer from the annotators' layers.

The package is imported piecemeal (``records`` by the project and its change sets, the rest on
top of ``Project``), so this module imports nothing.
"""
