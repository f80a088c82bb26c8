"""The app page and the README's user part are written from readme/ (as
OCA's oca-gen-addon-readme does) and must be up to date with it."""

import os
import re
import shutil
import subprocess
import sys

RUNTIME = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(RUNTIME)
GENERATOR = os.path.join(RUNTIME, "gen_readme.py")


def generate(*args, root=REPO):
    return subprocess.run(
        [sys.executable, GENERATOR, "--root", str(root), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_app_page_and_readme_are_up_to_date_with_the_fragments():
    result = generate("--check")
    assert result.returncode == 0, result.stderr


def test_a_changed_fragment_is_caught_then_written(tmp_path):
    for name in ("README.md", "__manifest__.py"):
        shutil.copy(os.path.join(REPO, name), tmp_path / name)
    shutil.copytree(os.path.join(REPO, "readme"), tmp_path / "readme")
    shutil.copytree(
        os.path.join(REPO, "static", "description"), tmp_path / "static" / "description"
    )
    usage = tmp_path / "readme" / "USAGE.md"
    usage.write_text(
        usage.read_text() + "\n- **A new step**: with `code` and *words*.\n"
    )

    stale = generate("--check", root=tmp_path)
    assert stale.returncode == 1
    assert "static/description/index.html, README.md" in stale.stderr
    assert generate(root=tmp_path).returncode == 0
    assert generate("--check", root=tmp_path).returncode == 0
    page = (tmp_path / "static" / "description" / "index.html").read_text()
    assert (
        "<li><b>A new step</b>: with <code>code</code> and <i>words</i>.</li>" in page
    )
    readme = (tmp_path / "README.md").read_text()
    assert "- **A new step**: with `code` and *words*." in readme
    # the rest of the README is kept, once
    assert readme.count("## Quick start") == 1
    assert (
        readme.replace("\n\n- **A new step**: with `code` and *words*.", "")
        == open(os.path.join(REPO, "README.md")).read()
    )


def test_every_picture_of_the_app_page_exists():
    with open(os.path.join(REPO, "static", "description", "index.html")) as handle:
        pictures = re.findall(r'<img [^>]*src="([^"]+)"', handle.read())
    assert pictures
    missing = [
        src
        for src in pictures
        if not os.path.isfile(os.path.join(REPO, "static", "description", src))
    ]
    assert missing == []
