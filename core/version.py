"""The installed claimmark version, recorded on every audit event."""

from importlib.metadata import PackageNotFoundError, version

try:
    APP_VERSION = version("claimmark")
except PackageNotFoundError:  # running from a source tree that was never installed
    APP_VERSION = "0+unknown"
