"""OCA's code checks (README "Code checks") are part of `make test`: the
report of `runtime/do.sh lint` must find nothing, so that a change that
breaks them fails the tests rather than waiting for someone to run them."""

import os
import subprocess

# the checkout itself, not the addons-path link pytest may see it through
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
TAIL = 80  # lines of the report shown on failure: the findings and counts


def test_code_checks_find_nothing():
    result = subprocess.run(
        [os.path.join(REPO, "runtime", "do.sh"), "lint"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=900,
        check=False,
    )
    tail = "\n".join(result.stdout.splitlines()[-TAIL:])
    assert result.returncode == 0, "runtime/do.sh lint ended with %d:\n%s" % (
        result.returncode,
        tail,
    )
    assert "[lint] 0 findings in all" in result.stdout, tail
