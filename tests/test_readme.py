"""The README keeps its promises: the commands it gives exist and its example link is valid."""

import re
from pathlib import Path

from playground.settings import from_query

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_quick_start_commands_are_make_targets_and_ci_runs_the_test_command():
    blocks = re.findall(r"```bash\n(.*?)```", README, flags=re.S)
    commands = [line.strip() for block in blocks for line in block.splitlines() if line.strip()]
    assert "make run" in commands and "make test" in commands
    makefile = (ROOT / "Makefile").read_text()
    for target in ("run", "test", "bench", "docker-check"):
        assert re.search(rf"^{target}:", makefile, flags=re.M), target
    ci = (ROOT / ".ci" / "run").read_text()
    assert "\nmake test\n" in ci and "scripts/check_make_run.sh" in ci


def test_example_link_in_the_readme_parses_without_notices():
    query, *others = re.findall(r"`/\?([^`]+)`", README)
    params = dict(pair.split("=", 1) for pair in query.split("&"))
    settings, notices = from_query(params)
    assert notices == []
    assert settings.n_classes == 4 and settings.optimizer == "adam"
    assert len(settings.centres) == 4
    for other in others:  # e.g. the curved data set with a feature map
        assert from_query(dict(p.split("=", 1) for p in other.split("&")))[1] == []


def test_every_linked_doc_exists():
    for target in re.findall(r"\]\(((?:docs|deploy)/[^)#]+)\)", README):
        assert (ROOT / target).exists(), target
