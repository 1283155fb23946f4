"""History sentences show quoted text as text, and escape only what could forge a line."""

from click.testing import CliRunner

from claimmark.core.cli import cli
from claimmark.core.history import quoted
from claimmark.core.project import NewDocument, Project

FIREMAN = "👨🏻\u200d🚒"
TEXT = f"The {FIREMAN} said\nשלום \x1b[2J ok"


def test_quoted_keeps_emoji_and_scripts_and_escapes_line_forgers():
    assert quoted(FIREMAN) == f"'{FIREMAN}'"  # one emoji, not \u200d
    assert quoted("שלום 🇸🇾 cafe\u0301 Sy\u00adria") == "'שלום 🇸🇾 cafe\u0301 Sy\u00adria'"
    assert quoted("a\nb\r\tc") == r"'a\nb\r\tc'"
    assert quoted("\x1b[31mred\x85") == r"'\x1b[31mred\x85'"
    assert quoted("x\u2028y\u2029z") == r"'x\u2028y\u2029z'"
    assert quoted("\u202eevil\u2066") == r"'\u202eevil\u2066'"
    assert quoted("back\\slash \\n") == r"'back\\slash \\n'"  # an escape is never ambiguous
    assert quoted(None) == "None"


def test_audit_log_prints_emoji_as_emoji_and_one_line_per_event(tmp_path):
    path = tmp_path / "p.db"
    with Project.open(path, created_by="alice") as project:
        doc, _ = project.import_document(
            NewDocument(text=TEXT, title=f"{FIREMAN}\ntitle"), annotator="alice"
        )
        start = TEXT.index(FIREMAN)
        made = project.add_span(doc, "claim", start, TEXT.index(" ok"), annotator="alice")
        [span] = made.created
        project.set_note(span.id, "line one\nline two \u202egnp.exe", annotator="alice")
    result = CliRunner().invoke(cli, ["--project", str(path), "audit", "log", "--document", doc])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    # import, span, in progress, note: nothing in the text starts a line of its own
    assert len(lines) == 4
    assert f"'{FIREMAN}\\ntitle'" in lines[0]
    assert f"'{FIREMAN} said\\nשלום \\x1b[2J'" in lines[1]
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert "'line one\\nline two \\u202egnp.exe'" in lines[3]
