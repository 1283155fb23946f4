"""Where claimmark finds its project and who the annotator is, when the user does not say.

The default project lives in the platform's user data folder (platformdirs) and starts with the
sample article, so a newcomer can label something within seconds of installing.
"""

from __future__ import annotations

import getpass
import os
from importlib.resources import files
from pathlib import Path

from platformdirs import user_data_path

from .model import GOLD_LAYER, ClaimmarkError
from .project import NewDocument, Project
from .text_checks import title_from_text

PROJECT_ENV = "CLAIMMARK_PROJECT"
ANNOTATOR_ENV = "CLAIMMARK_ANNOTATOR"
SAMPLE_ARTICLES = ("syria-helicopter.txt",)


def default_project_path() -> Path:
    return user_data_path("claimmark", appauthor=False) / "default-project.claimmark.db"


def resolve_project_path(cli_value: str | None) -> tuple[Path, bool]:
    """The project to use, and whether it is the per-user default one."""
    if cli_value:
        return Path(cli_value).expanduser(), False
    if os.environ.get(PROJECT_ENV):
        return Path(os.environ[PROJECT_ENV]).expanduser(), False
    return default_project_path(), True


def resolve_annotator(cli_value: str | None) -> str:
    """The annotator's name: ``--annotator``, else ``$CLAIMMARK_ANNOTATOR``, else the login name.

    A name given but blank is refused rather than passed over: ``--annotator " "`` would
    otherwise record everything under the login name, which the user never chose.
    """
    for candidate, source in ((cli_value, "--annotator"), (os.environ.get(ANNOTATOR_ENV), None)):
        if candidate is None or (source is None and candidate == ""):
            continue  # not given (an empty environment variable counts as unset)
        if not candidate.strip():
            where = source or f"${ANNOTATOR_ENV}"
            raise ClaimmarkError(
                f"the annotator name given by {where} is empty once spaces are trimmed "
                f"({candidate!r}); give a name"
            )
        return _a_person(candidate.strip())
    try:
        return _a_person(getpass.getuser())
    except (KeyError, OSError):  # no login name (e.g. a container without a passwd entry)
        return "annotator"


def _a_person(name: str) -> str:
    """Every command's events name the person who ran it; ``gold`` is the layer adjudication
    writes on a curator's behalf, so running as it would write gold with nobody named."""
    if name == GOLD_LAYER:
        raise ClaimmarkError(
            f"{GOLD_LAYER!r} is the adjudicated layer, not a person: give your own name with "
            f"--annotator (a curator's decisions go into {GOLD_LAYER} under their name; "
            f"'export --annotator {GOLD_LAYER}' after the command exports it)"
        )
    return name


def open_project(path: Path, annotator: str, *, is_default: bool) -> Project:
    """Open ``path``; the default project is created on first use with the sample article in it."""
    if is_default:
        path.parent.mkdir(parents=True, exist_ok=True)
    is_new = not path.exists() or path.stat().st_size == 0
    project = Project.open(path, created_by=annotator)
    if is_default and is_new:
        seed_samples(project, annotator)
    return project


def seed_samples(project: Project, annotator: str) -> None:
    samples = files("claimmark.resources").joinpath("samples")
    with project.batch():
        for name in SAMPLE_ARTICLES:
            text = samples.joinpath(name).read_text(encoding="utf-8")
            project.import_document(
                NewDocument(
                    text=text,
                    title=title_from_text(text, name),
                    source=f"claimmark sample: {name}",
                    meta={"sample": True},
                ),
                annotator=annotator,
            )
