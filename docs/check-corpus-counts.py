#!/usr/bin/env python3
"""Reproduces the per-locale counts of `helpbook check` for the segment lints
from the files alone, with another CommonMark implementation (markdown-it-py)
and plain text rules; it shares no code with helpbook.

    python3 -m venv /tmp/v && /tmp/v/bin/pip install markdown-it-py
    /tmp/v/bin/python docs/check-corpus-counts.py ../shared/corpus
    helpbook check ../shared/corpus --format json   # compare summary.lints

Pairs are found with a regular expression for the canonical sxs form, in every
`.md` file of each locale folder except under `includes/` (not articles).
"""
import re, os, sys, collections
from markdown_it import MarkdownIt
md = MarkdownIt('commonmark').enable('strikethrough')
root = sys.argv[1] if len(sys.argv) > 1 else '../shared/corpus'
pair = re.compile(r'<span data-ttu-id="[^"]*">(.*?)</span><span class="sxs-lookup"><span data-stu-id="[^"]*">(.*?)</span></span>', re.S)
def summary(text):
    kinds = collections.Counter(); urls = []; empty = 0; literal = []
    def walk(tokens):
        nonlocal empty
        stack = []
        for t in tokens:
            if t.type == 'link_open':
                urls.append(t.attrs.get('href', '').strip()); stack.append(False); literal.append('\x01')
            elif t.type == 'link_close':
                if stack and not stack.pop(): empty += 1
                literal.append('\x01')
            elif t.type in ('strong_open', 'em_open', 's_open'): kinds[t.type] += 1
            elif t.type == 'code_inline':
                kinds['code'] += 1; literal.append('\x01')
                if t.content.strip(): stack[:] = [True] * len(stack)
            elif t.type in ('text', 'text_special'):
                literal.append(t.content)
                if t.content.strip(): stack[:] = [True] * len(stack)
            elif t.type in ('image', 'html_inline'):
                stack[:] = [True] * len(stack); literal.append('\x01')
            elif t.type in ('softbreak', 'hardbreak'): literal.append(' ')
            elif t.type.endswith('_open') or t.type.endswith('_close'): literal.append('\x01')
    for block in md.parse(text.strip()):
        if block.children: walk(block.children)
        else: literal.append('\x01')
    return kinds, urls, empty, ''.join(literal).count('**')
fold = lambda s: ' '.join(s.split())
c = collections.defaultdict(collections.Counter)
for loc in sorted(os.listdir(root)):
    if not os.path.isdir(os.path.join(root, loc)): continue
    for dp, dn, fn in os.walk(os.path.join(root, loc)):
        dn[:] = [d for d in dn if d != 'includes']
        for f in fn:
            if not f.endswith('.md'): continue
            text = open(os.path.join(dp, f), encoding='utf-8').read()
            # The translated document: each sxs-lookup (the English) removed.
            translated = re.sub(r'<span class="sxs-lookup"><span data-stu-id="[^"]*">.*?</span></span>', '', text, flags=re.S)
            c['link::root-relative'][loc] += len(re.findall(r'\]\(\s*/(?!/)', translated))
            for t, s in pair.findall(text):
                tk, tu, te, tl = summary(t); sk, su, se, sl = summary(s)
                if fold(t) == fold(s) and re.search(r'[^\W\d_]', re.sub(r'\]\([^)]*\)', ']', s)):
                    c['segment::untranslated'][loc] += 1
                if set(tu) != set(su): c['markup::link-url'][loc] += 1
                elif len(tu) != len(su): c['markup::link-count'][loc] += 1
                if te > se: c['markup::empty-link-text'][loc] += 1
                if tl > 0: c['markup::unrendered-emphasis'][loc] += 1
                elif tk != sk: c['markup::emphasis'][loc] += 1
for k in sorted(c): print(k.ljust(30), dict(sorted(c[k].items())), sum(c[k].values()))
