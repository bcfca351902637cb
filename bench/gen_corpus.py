#!/usr/bin/env python3
"""Deterministic lesson-site corpus generator for static-site-generator benchmarks.

    gen_corpus.py --tool {conceptlab,hugo,zola,mdbook} --pages N --out DIR [--seed S]

Writes an equivalent site for each tool: N lesson pages grouped into courses of
up to 120 lessons. Every lesson has ~1,200 words of varied Markdown (h2/h3
headings, paragraphs with emphasis and inline code, a bullet and a numbered
list, a table, one blockquote, one ~25-line Python and one ~20-line Rust fenced
code block, 3-5 internal links to other lessons) and front matter with title,
weight, description and tags.

The text of lesson i depends only on (seed, i) and N (N only picks link
targets), so the same lesson is identical across tools apart from the syntax
each tool needs:

  * hugo:   YAML front matter, links as site URLs (/course-001/lesson-00001/),
            layouts/_default/{baseof,list,single}.html, chroma highlighting.
  * zola:   TOML front matter, links as @/course-001/lesson-00001.md (checked
            by zola at build time), templates/{base,index,section,page}.html,
            giallo highlighting ([markdown.highlighting]).
  * both hugo and zola sites also get config-nohl.toml, the same config with
    build-time highlighting off, to measure what highlighting costs.
  * conceptlab: YAML front matter with summary, order and tags plus the parts
            of a concept page (3 tradeoffs, a 5-step flow, 4 interview questions,
            8 flash cards; no simulations), links as relative paths to the .md
            files (checked by conceptlab at build time).
  * mdbook: no front matter support; title as '# h1', description and tags as
            the first two paragraphs, SUMMARY.md lists every chapter, default
            theme, relative .md links.

Only the Python standard library is used; output is byte-identical across runs.
"""

import argparse
import json
import os
import random
import shutil
import sys

LESSONS_PER_COURSE = 120

# ---------------------------------------------------------------------------
# Vocabulary (plain ASCII, no quotes, no markup characters)
# ---------------------------------------------------------------------------

NOUNS = """
algorithm array buffer cache channel closure compiler concept constraint
context counter dataset decision default dependency derivative diagram
dictionary distribution domain element equation error estimate event example
exercise experiment expression factor feature field file formula fraction
function gradient graph grid hash heap hypothesis identity index input
instance integer interface interval invariant iterator kernel key label
language layer lemma library limit list literal loop matrix measure memory
method metric model module network node notation number object observation
operation operator option order output parameter parser partition path
pattern pointer polynomial principle probability problem procedure process
product program proof property protocol query queue range ratio record
recursion reference relation result rule sample scale schema scope sequence
series server set signal solution source space specification stack state
statement step strategy stream string structure student subset sum summary
symbol syntax system table teacher term test theorem thread token topic
trace transform tree tuple type unit value variable vector version vertex
view weight window word workflow
""".split()

VERBS = """
accept add adjust allocate analyse apply approximate assign build calculate
check choose collect combine compare compile compute connect construct
contain convert copy count create debug decide declare define derive
describe detect determine divide encode estimate evaluate examine execute
expand explain express extend extract filter find follow generate group
handle identify implement improve include infer inspect introduce invert
iterate join keep label learn limit load map match measure merge model
modify multiply normalise observe obtain optimise order organise parse
partition predict prepare preserve produce prove query read record reduce
refine reject remove render repeat replace represent require resolve
return reuse review rewrite sample scale search select separate share
simplify solve sort split store summarise support test trace transform
translate traverse update use validate verify visit write
""".split()

ADJECTIVES = """
abstract accurate adjacent approximate arbitrary balanced basic binary
careful central clear common complete complex concrete consistent constant
correct costly critical current deep dense direct discrete distinct dynamic
early efficient empty equal exact explicit external familiar final finite
first formal frequent general global greedy hidden implicit important
incremental independent initial inner interesting internal invalid large
lazy linear local logical main minimal modular mutable naive natural
nested new nonlinear normal obvious optimal ordinary outer parallel partial
particular persistent positive practical precise primary private public
random recursive redundant regular relative reliable robust rough safe
second sequential shallow shared short similar simple single small sparse
specific stable standard static strict strong subtle symmetric typical
uniform unique useful valid visible weak
""".split()

ADVERBS = """
carefully clearly correctly directly easily efficiently eventually exactly
explicitly finally first formally frequently generally gradually implicitly
immediately independently initially locally naturally normally often
precisely quickly rarely recursively repeatedly safely simply slowly
sometimes typically usually
""".split()

PREPS = """
about across after against along among around before behind below beside
between beyond during for from inside into near over through toward under
with within without
""".split()

CONNECTIVES = [
    "However,", "In practice,", "For example,", "As a result,", "In this lesson,",
    "Note that", "In other words,", "By contrast,", "At this point,", "Similarly,",
    "In most cases,", "Once again,", "Consequently,", "Intuitively,", "Formally,",
]

TAGS = """
algebra algorithms analysis arrays calculus complexity concurrency
databases debugging geometry graphs hashing induction iteration logic
memory networks numerics parsing probability proofs python recursion
rust search sorting statistics strings testing trees types
""".split()

TITLE_PATTERNS = [
    "Understanding {A} {P}",
    "{A} {P} and {P}",
    "How to {V} a {N}",
    "The {N} {N} in Practice",
    "Introduction to {A} {P}",
    "{P}, {P} and {A} {P}",
    "When to {V} the {N}",
    "{A} {N} Techniques",
]

PY_FUNCS = ["sqrt", "log1p", "exp", "sin", "cos", "fabs", "floor", "ceil"]


def zipf_choice(rng, seq, s=0.6):
    """Pick from seq with Zipf-like weights (earlier items are more common)."""
    # Precompute cumulative weights once per sequence.
    key = id(seq)
    cum = _ZIPF_CACHE.get(key)
    if cum is None:
        total = 0.0
        cum = []
        for rank in range(len(seq)):
            total += 1.0 / ((rank + 1) ** s)
            cum.append(total)
        _ZIPF_CACHE[key] = cum
    r = rng.random() * cum[-1]
    lo, hi = 0, len(cum) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if cum[mid] < r:
            lo = mid + 1
        else:
            hi = mid
    return seq[lo]


_ZIPF_CACHE = {}

# Shuffle once with a fixed seed so the frequent (Zipf head) words are not
# simply the alphabetically first ones.
for _lst in (NOUNS, VERBS, ADJECTIVES):
    random.Random("vocab:%d" % len(_lst)).shuffle(_lst)


def plural(noun):
    if noun.endswith(("s", "sh", "ch", "x", "z")):
        return noun + "es"
    if noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def third_person(verb):
    if verb.endswith(("s", "sh", "ch", "x", "z")):
        return verb + "es"
    if verb.endswith("y") and verb[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def article(word):
    return "an" if word[0] in "aeiou" else "a"


# ---------------------------------------------------------------------------
# Text generation
# ---------------------------------------------------------------------------


class Text:
    """Sentence/paragraph generator bound to one seeded RNG."""

    def __init__(self, rng):
        self.rng = rng
        self.plain = False

    def noun(self):
        return zipf_choice(self.rng, NOUNS)

    def verb(self):
        return zipf_choice(self.rng, VERBS)

    def adj(self):
        return zipf_choice(self.rng, ADJECTIVES)

    def plain_sentence(self, min_words=9):
        """A sentence without Markdown markup (for code comments, metadata)."""
        self.plain = True
        try:
            return self.sentence(min_words)
        finally:
            self.plain = False

    def ident(self):
        return "%s_%s" % (self.noun(), self.noun())

    def camel(self):
        return self.noun().capitalize() + self.noun().capitalize()

    def decorate(self, word):
        """Occasionally wrap a word in emphasis or turn it into inline code."""
        r = self.rng.random()
        if self.plain:
            return word
        if r < 0.04:
            return "*%s*" % word
        if r < 0.06:
            return "**%s**" % word
        if r < 0.09:
            return "`%s()`" % self.ident()
        return word

    def noun_phrase(self):
        r = self.rng.random()
        n = self.decorate(self.noun())
        if r < 0.45:
            a = self.adj()
            return "the %s %s" % (a, n)
        if r < 0.7:
            a = self.adj()
            return "%s %s %s" % (article(a), a, n)
        if r < 0.85:
            return "each %s" % n
        return "the %s of the %s" % (n, self.noun())

    def clause(self):
        subj = self.noun_phrase()
        v = third_person(self.verb())
        obj = self.noun_phrase()
        parts = [subj, v, obj]
        r = self.rng.random()
        if r < 0.5:
            parts += [self.rng.choice(PREPS), self.noun_phrase()]
        elif r < 0.65:
            parts.insert(1, self.rng.choice(ADVERBS))
        return " ".join(parts)

    def sentence(self, min_words=9):
        words = self.clause()
        while len(words.split()) < min_words:
            link = self.rng.choice(["and", "because", "while", "so", "when", "until", "whereas"])
            words = "%s %s %s" % (words, link, self.clause())
        if self.rng.random() < 0.25:
            words = "%s %s" % (self.rng.choice(CONNECTIVES), words)
        else:
            words = words[0].upper() + words[1:]
        return words + "."

    def paragraph(self, lo=3, hi=6):
        return " ".join(self.sentence() for _ in range(self.rng.randint(lo, hi)))

    def heading(self):
        n = self.rng.randint(2, 5)
        words = [self.adj(), self.noun()] + [self.noun() for _ in range(n - 2)]
        if self.rng.random() < 0.3:
            words = [self.verb()] + words
        return " ".join(w.capitalize() if i == 0 else w for i, w in enumerate(words))

    def list_item(self):
        r = self.rng.random()
        if r < 0.3:
            return "Use `%s` to %s %s" % (self.ident(), self.verb(), self.noun_phrase())
        if r < 0.5:
            return "**%s**: %s" % (self.noun().capitalize(), self.sentence(6))
        return self.sentence(6)


def lesson_title(seed, i):
    rng = random.Random("%s:title:%d" % (seed, i))
    t = Text(rng)
    pat = rng.choice(TITLE_PATTERNS)
    out = []
    k = 0
    while k < len(pat):
        if pat[k] == "{":
            slot = pat[k + 1]
            w = {"A": t.adj, "N": t.noun, "V": t.verb,
                 "P": lambda: plural(t.noun())}[slot]()
            out.append(w if out else w.capitalize())
            k += 3
        else:
            out.append(pat[k])
            k += 1
    title = "".join(out)
    return title[0].upper() + title[1:]


def course_title(seed, c):
    rng = random.Random("%s:course:%d" % (seed, c))
    t = Text(rng)
    return "Course %d: %s %s" % (c + 1, t.adj().capitalize(), plural(t.noun()))


# ---------------------------------------------------------------------------
# Code blocks
# ---------------------------------------------------------------------------


def python_block(t):
    rng = t.rng
    cls = t.camel()
    a, b, m, x, f, items = (t.ident() for _ in range(6))
    fn = rng.choice(PY_FUNCS)
    n1, n2, n3 = rng.randint(2, 9), rng.randint(10, 99), rng.randint(2, 9)
    f1, f2, f3 = (round(rng.uniform(0.1, 9.9), 2) for _ in range(3))
    w = t.noun()
    comment = t.plain_sentence(6)
    doc = t.plain_sentence(6)
    return "\n".join([
        "```python",
        "import math",
        "from dataclasses import dataclass",
        "",
        "",
        "@dataclass",
        "class %s:" % cls,
        "    %s: float" % a,
        "    %s: int = %d" % (b, n1),
        "",
        "    def %s(self, %s: float) -> float:" % (m, x),
        '        """%s"""' % doc,
        "        total = 0.0",
        "        for i in range(self.%s):" % b,
        "            total += math.%s(abs(%s) * i + 1) / (i + 1)" % (fn, x),
        "        return total * self.%s" % a,
        "",
        "",
        "def %s(%s: list, limit: int = %d) -> dict:" % (f, items, n2),
        "    # %s" % comment,
        "    result = {}",
        "    for idx, item in enumerate(%s):" % items,
        "        if idx >= limit:",
        "            break",
        '        result[f"%s-{idx}"] = item.%s(%s)' % (w, m, f1),
        "    return result",
        "",
        "",
        'if __name__ == "__main__":',
        "    print(%s([%s(%s), %s(%s, %d)]))" % (f, cls, f2, cls, f3, n3),
        "```",
    ])


def rust_block(t):
    rng = t.rng
    cls = t.camel()
    a, b, m = (t.ident() for _ in range(3))
    w1, w2 = t.noun(), t.noun()
    n1, n2 = rng.randint(2, 50), rng.randint(2, 9)
    comment = t.plain_sentence(6)
    return "\n".join([
        "```rust",
        "use std::collections::HashMap;",
        "",
        "#[derive(Debug, Clone)]",
        "struct %s {" % cls,
        "    %s: String," % a,
        "    %s: u32," % b,
        "}",
        "",
        "impl %s {" % cls,
        "    fn %s(&self, factor: u32) -> u64 {" % m,
        "        // %s" % comment,
        "        (0..self.%s).map(|i| u64::from(i * factor)).sum()" % b,
        "    }",
        "}",
        "",
        "fn main() {",
        "    let mut index: HashMap<&str, %s> = HashMap::new();" % cls,
        '    index.insert("%s", %s { %s: "%s".to_string(), %s: %d });' % (w1, cls, a, w2, b, n1),
        "    for (name, item) in &index {",
        "        match item.%s(%d) {" % (m, n2),
        '            0 => println!("{name}: empty ({})", item.%s),' % a,
        '            total => println!("{name}: {total}"),',
        "        }",
        "    }",
        "}",
        "```",
    ])


def table_block(t):
    rng = t.rng
    rows = rng.randint(4, 6)
    out = ["| Concept | Example | Cost | Notes |", "| --- | --- | ---: | --- |"]
    for _ in range(rows):
        cost = rng.choice(["O(1)", "O(log n)", "O(n)", "O(n log n)", "O(n^2)"])
        note = " ".join(t.noun_phrase().split()[:4])
        out.append("| %s %s | `%s` | %s | %s |" % (t.adj().capitalize(), t.noun(), t.ident(), cost, note))
    return "\n".join(out)


# ---------------------------------------------------------------------------
# Lessons
# ---------------------------------------------------------------------------


def course_of(i):
    return i // LESSONS_PER_COURSE


def course_dir(c):
    return "course-%03d" % (c + 1)


def lesson_slug(i):
    return "lesson-%05d" % (i + 1)


def prose_words(md):
    """Rough count of prose words (fenced code excluded)."""
    count = 0
    in_code = False
    for line in md.splitlines():
        if line.startswith("```"):
            in_code = not in_code
            continue
        if not in_code:
            count += len(line.split())
    return count


def lesson(seed, i, n_pages, link_fn):
    """Return (title, description, tags, body_markdown) for lesson i."""
    rng = random.Random("%s:lesson:%d" % (seed, i))
    t = Text(rng)
    title = lesson_title(seed, i)
    description = t.plain_sentence(12)
    tags = sorted(rng.sample(TAGS, rng.randint(2, 4)))
    target = rng.randint(1050, 1210)

    # Link targets: some neighbours in the same course, some anywhere.
    n_links = min(rng.randint(3, 5), n_pages - 1)
    targets = []
    candidates = [j for j in (i - 2, i - 1, i + 1, i + 2) if 0 <= j < n_pages]
    rng.shuffle(candidates)
    while len(targets) < n_links:
        if candidates and rng.random() < 0.5:
            j = candidates.pop()
        else:
            j = rng.randrange(n_pages)
        if j != i and j not in targets:
            targets.append(j)

    # Sections: list of (heading_level, heading, [blocks]); paragraphs are
    # marked so extra paragraphs / links can be attached later.
    P = "para"
    sections = [
        [0, None, [(P, t.paragraph()), (P, t.paragraph())]],
        [2, t.heading(), [(P, t.paragraph())]],
        [3, t.heading(), [(P, t.paragraph()),
                          ("md", "\n".join("- " + t.list_item() for _ in range(rng.randint(4, 6))))]],
        [2, t.heading(), [(P, t.paragraph()),
                          ("md", "\n".join("%d. %s" % (k + 1, t.list_item())
                                           for k in range(rng.randint(3, 5)))),
                          (P, t.paragraph(2, 3)),
                          ("md", table_block(t))]],
        [2, "Worked example", [(P, t.paragraph(2, 4)), ("md", python_block(t)),
                               (P, t.paragraph(2, 4)), ("md", rust_block(t))]],
        [2, t.heading(), [(P, t.paragraph()),
                          ("md", "> " + t.sentence(10) + " " + t.sentence(10))]],
        [3, t.heading(), [(P, t.paragraph())]],
        [2, "Summary", [(P, t.paragraph(2, 4))]],
    ]

    def render():
        out = []
        for level, heading, blocks in sections:
            if heading:
                out.append("#" * level + " " + heading)
            for _kind, text in blocks:
                out.append(text)
        return "\n\n".join(out) + "\n"

    # Top up with extra paragraphs until the prose reaches the target size.
    grow = [1, 2, 5, 6]
    k = 0
    while prose_words(render()) < target:
        sec = sections[grow[k % len(grow)]]
        sec[2].append((P, t.paragraph()))
        k += 1

    # Attach internal links to distinct paragraphs.
    para_slots = [(s, b) for s, sec in enumerate(sections)
                  for b, (kind, _) in enumerate(sec[2]) if kind == P]
    chosen = rng.sample(para_slots, len(targets))
    for (s, b), j in zip(chosen, targets):
        kind, text = sections[s][2][b]
        lead = rng.choice(["For background, see", "Compare this with", "This builds on",
                           "A related idea appears in", "Revisit"])
        text += " %s [%s](%s)." % (lead, lesson_title(seed, j), link_fn(i, j))
        sections[s][2][b] = (kind, text)

    return title, description, tags, render()


# ---------------------------------------------------------------------------
# Site writers
# ---------------------------------------------------------------------------


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def q(s):
    """Double-quoted string valid in both YAML and TOML (ASCII input)."""
    return json.dumps(s)


def course_description(seed, c):
    rng = random.Random("%s:coursedesc:%d" % (seed, c))
    return Text(rng).plain_sentence(12)


def course_intro(seed, c):
    rng = random.Random("%s:courseintro:%d" % (seed, c))
    return Text(rng).paragraph(2, 3)


HUGO_CONFIG = """\
baseURL = "http://example.org/"
languageCode = "en"
title = "Lessons"
disableKinds = ["taxonomy", "term", "RSS"]

[markup.highlight]
codeFences = true
noClasses = true
style = "monokai"
guessSyntax = false
"""

HUGO_BASEOF = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ .Title }} | {{ .Site.Title }}</title>
{{ with .Description }}<meta name="description" content="{{ . }}">{{ end }}
</head>
<body>
<nav><a href="/">{{ .Site.Title }}</a></nav>
<main>
{{ block "main" . }}{{ end }}
</main>
</body>
</html>
"""

HUGO_LIST = """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ul>
{{ end }}
"""

HUGO_SINGLE = """\
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p class="description">{{ .Description }}</p>
<ul class="tags">{{ range .Params.tags }}<li>{{ . }}</li>{{ end }}</ul>
{{ .Content }}
</article>
<nav class="pager">
{{ with .NextInSection }}<a rel="prev" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .PrevInSection }}<a rel="next" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
</nav>
{{ end }}
"""

ZOLA_CONFIG = """\
base_url = "http://example.org"
title = "Lessons"
compile_sass = false
build_search_index = false
generate_feeds = false
taxonomies = [{ name = "tags", render = false }]

[markdown.highlighting]
theme = "monokai"
error_on_missing_language = true
"""

ZOLA_BASE = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{% block title %}{% endblock title %} | {{ config.title }}</title>
{% block meta %}{% endblock meta %}
</head>
<body>
<nav><a href="/">{{ config.title }}</a></nav>
<main>
{% block main %}{% endblock main %}
</main>
</body>
</html>
"""

ZOLA_INDEX = """\
{% extends "base.html" %}
{% block title %}{{ section.title }}{% endblock title %}
{% block main %}
<h1>{{ section.title }}</h1>
{{ section.content | safe }}
<ul>
{% for s in section.subsections %}{% set sub = get_section(path=s, metadata_only=true) %}<li><a href="{{ sub.path }}">{{ sub.title }}</a></li>
{% endfor %}</ul>
{% endblock main %}
"""

ZOLA_SECTION = """\
{% extends "base.html" %}
{% block title %}{{ section.title }}{% endblock title %}
{% block meta %}{% if section.description %}<meta name="description" content="{{ section.description }}">{% endif %}{% endblock meta %}
{% block main %}
<h1>{{ section.title }}</h1>
{{ section.content | safe }}
<ul>
{% for p in section.pages %}<li><a href="{{ p.path }}">{{ p.title }}</a></li>
{% endfor %}</ul>
{% endblock main %}
"""

ZOLA_PAGE = """\
{% extends "base.html" %}
{% block title %}{{ page.title }}{% endblock title %}
{% block meta %}{% if page.description %}<meta name="description" content="{{ page.description }}">{% endif %}{% endblock meta %}
{% block main %}
<article>
<h1>{{ page.title }}</h1>
<p class="description">{{ page.description }}</p>
<ul class="tags">{% for t in page.taxonomies.tags %}<li>{{ t }}</li>{% endfor %}</ul>
{{ page.content | safe }}
</article>
<nav class="pager">
{% if page.lower %}<a rel="prev" href="{{ page.lower.path }}">{{ page.lower.title }}</a>{% endif %}
{% if page.higher %}<a rel="next" href="{{ page.higher.path }}">{{ page.higher.title }}</a>{% endif %}
</nav>
{% endblock main %}
"""

MDBOOK_TOML = """\
[book]
title = "Lessons"
language = "en"
src = "src"

[output.html]
"""


def gen_hugo(seed, n, out):
    write(os.path.join(out, "hugo.toml"), HUGO_CONFIG)
    # Variant for measuring the cost of highlighting: hugo --config config-nohl.toml
    write(os.path.join(out, "config-nohl.toml"),
          HUGO_CONFIG.replace("codeFences = true", "codeFences = false"))
    write(os.path.join(out, "layouts/_default/baseof.html"), HUGO_BASEOF)
    write(os.path.join(out, "layouts/_default/list.html"), HUGO_LIST)
    write(os.path.join(out, "layouts/_default/single.html"), HUGO_SINGLE)
    write(os.path.join(out, "content/_index.md"),
          "---\ntitle: \"Lessons\"\n---\n\nAll courses.\n")
    link = lambda i, j: "/%s/%s/" % (course_dir(course_of(j)), lesson_slug(j))
    for c in range((n + LESSONS_PER_COURSE - 1) // LESSONS_PER_COURSE):
        write(os.path.join(out, "content", course_dir(c), "_index.md"),
              "---\ntitle: %s\nweight: %d\ndescription: %s\n---\n\n%s\n"
              % (q(course_title(seed, c)), c + 1, q(course_description(seed, c)),
                 course_intro(seed, c)))
    for i in range(n):
        title, desc, tags, body = lesson(seed, i, n, link)
        fm = "---\ntitle: %s\nweight: %d\ndescription: %s\ntags: [%s]\n---\n\n" % (
            q(title), i + 1, q(desc), ", ".join(q(x) for x in tags))
        write(os.path.join(out, "content", course_dir(course_of(i)), lesson_slug(i) + ".md"),
              fm + body)


def gen_zola(seed, n, out):
    write(os.path.join(out, "config.toml"), ZOLA_CONFIG)
    # Variant for measuring the cost of highlighting: zola --config config-nohl.toml build
    write(os.path.join(out, "config-nohl.toml"), ZOLA_CONFIG.split("\n[markdown.highlighting]")[0])
    write(os.path.join(out, "templates/base.html"), ZOLA_BASE)
    write(os.path.join(out, "templates/index.html"), ZOLA_INDEX)
    write(os.path.join(out, "templates/section.html"), ZOLA_SECTION)
    write(os.path.join(out, "templates/page.html"), ZOLA_PAGE)
    write(os.path.join(out, "content/_index.md"),
          "+++\ntitle = \"Lessons\"\nsort_by = \"weight\"\n+++\n\nAll courses.\n")
    link = lambda i, j: "@/%s/%s.md" % (course_dir(course_of(j)), lesson_slug(j))
    for c in range((n + LESSONS_PER_COURSE - 1) // LESSONS_PER_COURSE):
        write(os.path.join(out, "content", course_dir(c), "_index.md"),
              "+++\ntitle = %s\nweight = %d\ndescription = %s\nsort_by = \"weight\"\n+++\n\n%s\n"
              % (q(course_title(seed, c)), c + 1, q(course_description(seed, c)),
                 course_intro(seed, c)))
    for i in range(n):
        title, desc, tags, body = lesson(seed, i, n, link)
        fm = "+++\ntitle = %s\nweight = %d\ndescription = %s\n\n[taxonomies]\ntags = [%s]\n+++\n\n" % (
            q(title), i + 1, q(desc), ", ".join(q(x) for x in tags))
        write(os.path.join(out, "content", course_dir(course_of(i)), lesson_slug(i) + ".md"),
              fm + body)


def gen_mdbook(seed, n, out):
    write(os.path.join(out, "book.toml"), MDBOOK_TOML)
    src = os.path.join(out, "src")

    def link(i, j):
        if course_of(i) == course_of(j):
            return "%s.md" % lesson_slug(j)
        return "../%s/%s.md" % (course_dir(course_of(j)), lesson_slug(j))

    n_courses = (n + LESSONS_PER_COURSE - 1) // LESSONS_PER_COURSE
    summary = ["# Summary", "", "[Lessons](index.md)", ""]
    home = ["# Lessons", "", "All courses.", ""]
    for c in range(n_courses):
        ct = course_title(seed, c)
        cd = course_dir(c)
        summary.append("- [%s](%s/index.md)" % (ct, cd))
        home.append("- [%s](%s/index.md)" % (ct, cd))
        idx = ["# %s" % ct, "", "*%s*" % course_description(seed, c), "",
               course_intro(seed, c), ""]
        for i in range(c * LESSONS_PER_COURSE, min(n, (c + 1) * LESSONS_PER_COURSE)):
            lt = lesson_title(seed, i)
            summary.append("  - [%s](%s/%s.md)" % (lt, cd, lesson_slug(i)))
            idx.append("- [%s](%s.md)" % (lt, lesson_slug(i)))
        write(os.path.join(src, cd, "index.md"), "\n".join(idx) + "\n")
    write(os.path.join(src, "SUMMARY.md"), "\n".join(summary) + "\n")
    write(os.path.join(src, "index.md"), "\n".join(home) + "\n")
    for i in range(n):
        title, desc, tags, body = lesson(seed, i, n, link)
        head = "# %s\n\n*%s*\n\nTags: %s\n\n" % (title, desc, ", ".join(tags))
        write(os.path.join(src, course_dir(course_of(i)), lesson_slug(i) + ".md"), head + body)


def lesson_extras(seed, i):
    """The concept-page front matter of lesson i (its own random stream, so the
    body stays identical to the other tools' lessons)."""
    rng = random.Random("%s:extras:%d" % (seed, i))
    t = Text(rng)
    lines = ["tradeoffs:"]
    lines += ["  - %s" % q(t.sentence(10)) for _ in range(3)]
    lines.append("flow:")
    for _ in range(5):
        lines.append("  - { step: %s, detail: %s }" % (q(t.noun().capitalize() + " " + t.noun()),
                                                     q(t.plain_sentence(8))))
    lines.append("questions:")
    for level in ["beginner", "intermediate", "intermediate", "expert"]:
        lines.append("  - level: %s" % level)
        lines.append("    q: %s" % q(t.plain_sentence(8).rstrip(".") + "?"))
        lines.append("    answer: %s" % q(t.sentence(10) + " " + t.sentence(10)))
        lines.append("    senior: %s" % q(" ".join(t.sentence(10) for _ in range(4))))
    lines.append("flashcards:")
    for k in range(8):
        lines.append("  - { front: %s, back: %s }" % (q("%s (%d)" % (t.plain_sentence(5).rstrip("."), k + 1)),
                                                      q(t.sentence(9))))
    return "\n".join(lines) + "\n"


def gen_conceptlab(seed, n, out):
    write(os.path.join(out, "site.yaml"),
          "title: Lessons\ndescription: A generated benchmark corpus.\nbase_url: /\n")

    def link(i, j):
        if course_of(i) == course_of(j):
            return "%s.md" % lesson_slug(j)
        return "../%s/%s.md" % (course_dir(course_of(j)), lesson_slug(j))

    for c in range((n + LESSONS_PER_COURSE - 1) // LESSONS_PER_COURSE):
        write(os.path.join(out, "content", course_dir(c), "_course.md"),
              "---\ntitle: %s\norder: %d\nsummary: %s\n---\n\n%s\n"
              % (q(course_title(seed, c)), c + 1, q(course_description(seed, c)),
                 course_intro(seed, c)))
    for i in range(n):
        title, desc, tags, body = lesson(seed, i, n, link)
        fm = "---\ntitle: %s\norder: %d\nsummary: %s\ntags: [%s]\n%s---\n\n" % (
            q(title), i + 1, q(desc), ", ".join(q(x) for x in tags), lesson_extras(seed, i))
        write(os.path.join(out, "content", course_dir(course_of(i)), lesson_slug(i) + ".md"),
              fm + body)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tool", required=True, choices=["conceptlab", "hugo", "zola", "mdbook"])
    ap.add_argument("--pages", required=True, type=int)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", default="ssg-bench-1")
    ap.add_argument("--force", action="store_true", help="replace OUT if it exists")
    args = ap.parse_args(argv)
    if args.pages < 2:
        ap.error("--pages must be at least 2")
    if os.path.exists(args.out):
        if not args.force:
            ap.error("%s exists (use --force to replace it)" % args.out)
        shutil.rmtree(args.out)
    {"conceptlab": gen_conceptlab, "hugo": gen_hugo, "zola": gen_zola,
     "mdbook": gen_mdbook}[args.tool](
        args.seed, args.pages, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
