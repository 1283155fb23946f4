"""One module per scenario; each exposes ``run(variant, params) -> dict``.

``variant`` is "app" (claimmark itself) or "baseline" (the bare library doing the same job).
The dict holds ``samples`` (milliseconds) and ``extra`` (anything else worth reporting), or
``unavailable`` with a reason when the code under test does not exist yet.
"""
