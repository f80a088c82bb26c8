#!/usr/bin/env python3
"""The app page (static/description/index.html) and the README's user part,
written from the fragments in readme/ as OCA's oca-gen-addon-readme writes
them (that tool is not on PyPI, so this is the add-on's own, small one).

    runtime/gen_readme.py           # write both
    runtime/gen_readme.py --check   # exit 1 if either is not up to date

Fragments are Markdown (OCA's 17.0+ convention), in the subset this
generator knows: paragraphs, "- " lists, **bold**, *italic*, `code`,
[links](url) and images alone on a line, ![alt](static/description/x.png)
(a path from the add-on's folder, which the README shows as it is and the
app page relative to static/description).  Standard library only.
"""

# a command-line tool: it speaks on the terminal, there is no Odoo logger
# pylint: disable=print-used
import argparse
import ast
import html
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# (fragment, title in the README and the app page); OCA's order
FRAGMENTS = [
    ("DESCRIPTION.md", "What it does"),
    ("CONTEXT.md", "Context"),
    ("INSTALL.md", "Installation"),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("ROADMAP.md", "Known issues / Roadmap"),
]
BEGIN = (
    "<!-- readme/*.md assembled by runtime/gen_readme.py: edit those, then run it -->"
)
END = "<!-- end of readme/*.md -->"
# where the user part goes the first time: before the developers' part
FIRST_ANCHOR = "## Quick start"
IMAGE = re.compile(r"^!\[([^\]]*)\]\(([^)\s]+)\)$")
PICTURES = "static/description/"


def read_fragments(root):
    found = []
    for name, title in FRAGMENTS:
        path = os.path.join(root, "readme", name)
        if os.path.exists(path):
            with open(path, encoding="utf-8") as handle:
                found.append((title, handle.read().strip()))
    if not found:
        raise SystemExit("no fragment in %s" % os.path.join(root, "readme"))
    return found


def blocks(text):
    """Paragraphs, lists and images of a fragment."""
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = block.splitlines()
        if lines[0].startswith("- "):
            items = []
            for line in lines:
                if line.startswith("- "):
                    items.append(line[2:].strip())
                else:  # an item's continuation line
                    items[-1] += " " + line.strip()
            yield "list", items
        elif len(lines) == 1 and IMAGE.match(lines[0]):
            yield "image", IMAGE.match(lines[0]).groups()
        else:
            yield "paragraph", " ".join(line.strip() for line in lines)


def inline(text):
    """Markdown inline marks to HTML, the text escaped."""
    text = html.escape(text, quote=False)
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    text = re.sub(r"\*\*([^*]+)\*\*", r"<b>\1</b>", text)
    text = re.sub(r"\*([^*]+)\*", r"<i>\1</i>", text)
    return re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", r'<a href="\2">\1</a>', text)


def to_html(text):
    out = []
    for kind, value in blocks(text):
        if kind == "list":
            out.append(
                "<ul>\n%s\n</ul>"
                % "\n".join("<li>%s</li>" % inline(item) for item in value)
            )
        elif kind == "image":
            alt, src = value
            src = src[len(PICTURES) :] if src.startswith(PICTURES) else src
            out.append(
                '<p><img class="oe_picture oe_screenshot" src="%s" alt="%s"/></p>'
                % (html.escape(src), html.escape(alt))
            )
        else:
            out.append("<p>%s</p>" % inline(value))
    return "\n".join(out)


def app_page(root):
    with open(os.path.join(root, "__manifest__.py"), encoding="utf-8") as handle:
        manifest = ast.literal_eval(handle.read())
    sections = ["<!-- %s -->" % BEGIN[5:-4].strip()]
    for number, (title, text) in enumerate(read_fragments(root)):
        heading = (
            '<h2 class="oe_slogan">%s</h2>\n<h3 class="oe_slogan">%s</h3>'
            % (html.escape(manifest["name"]), html.escape(manifest["summary"]))
            if number == 0
            else '<h2 class="oe_slogan">%s</h2>' % html.escape(title)
        )
        sections.append(
            '<section class="oe_container%s">\n<div class="oe_row oe_spaced">\n'
            '%s\n<div class="oe_span12">\n%s\n</div>\n</div>\n</section>'
            % (" oe_dark" if number % 2 else "", heading, to_html(text))
        )
    return "\n\n".join(sections) + "\n"


def readme(root):
    with open(os.path.join(root, "README.md"), encoding="utf-8") as handle:
        current = handle.read()
    part = "\n\n".join(
        "## %s\n\n%s" % (title, text) for title, text in read_fragments(root)
    )
    block = "%s\n\n%s\n\n%s" % (BEGIN, part, END)
    if BEGIN in current and END in current:
        before, rest = current.split(BEGIN, 1)
        return before + block + rest.split(END, 1)[1]
    if FIRST_ANCHOR not in current:
        raise SystemExit(
            'README.md has neither the generated part nor "%s"' % FIRST_ANCHOR
        )
    before, after = current.split(FIRST_ANCHOR, 1)
    return before + block + "\n\n" + FIRST_ANCHOR + after


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if a file is not up to date",
    )
    parser.add_argument("--root", default=ROOT, help="the add-on folder")
    args = parser.parse_args(argv)
    stale = []
    for name, text in (
        ("static/description/index.html", app_page(args.root)),
        ("README.md", readme(args.root)),
    ):
        path = os.path.join(args.root, name)
        with open(path, encoding="utf-8") as handle:
            if handle.read() == text:
                continue
        stale.append(name)
        if not args.check:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
    if args.check and stale:
        print(
            "not up to date with readme/: %s (run runtime/gen_readme.py)"
            % ", ".join(stale),
            file=sys.stderr,
        )
        return 1
    for name in stale:
        print("wrote %s" % name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
