#!/usr/bin/env python3
"""Writes the tokenizer's text-cleanup fixtures from Python's own standard library (3.11 was used).

  python3 make_text_goldens.py   # run in this directory

1. ../../../../../../main/resources/org/cxrclip/clip/tokenizer/html5-entities.tsv: Python's html.entities.html5
   (the WHATWG named character references, names with and without ';'), one "name<TAB>hex code points" a line.
2. text-cleanup-golden.jsonl (ASCII-escaped JSON): for each input, html.unescape once and twice, and the full
   cleanup of CLIP's simple_tokenizer.py without ftfy: whitespace_clean(basic_clean(text)).lower().
"""
import html, html.entities, json, os, re

here = os.path.dirname(os.path.abspath(__file__))
main_res = os.path.join(here, '../../../../../../main/resources/org/cxrclip/clip/tokenizer')

with open(os.path.join(main_res, 'html5-entities.tsv'), 'w', encoding='ascii', newline='\n') as f:
    for name in sorted(html.entities.html5):
        f.write(name + '\t' + ' '.join('%X' % ord(c) for c in html.entities.html5[name]) + '\n')


def clean(text):  # simple_tokenizer.py basic_clean + whitespace_clean + lower, with ftfy.fix_text = identity
    text = html.unescape(html.unescape(text)).strip()
    return re.sub(r'\s+', ' ', text).strip().lower()


cases = [
    '', 'plain text', '&amp;', '&amp;amp;', '&amp;amp;amp;', '&lt;tag&gt; AT&T', '&AMP; &LT; &GT; &QUOT;',
    '&quot;quoted&quot; &apos;single&apos;', 'a&nbsp;b', '&nbsp;&nbsp;x&nbsp;', '&copy 2024', '&copy;2024',
    '&notin; &notit; &not', '&ampfoo', '&amp', '&#65;&#66;&#x43;&#X44;', '&#65 &#x41', '&#0; &#13; &#128; &#x9f;',
    '&#xD800; &#x110000; &#99999999999999999999;', '&#1; &#x7f; &#xFDD0; &#xFFFE; &#x10FFFF;', '&#x1F600;',
    '&#0000000065;', '&unknown; &; & alone &#; &#x; &#xZ;', '&#38;amp; &#38;#38;', '&frac12;&frac34;',
    '&Eacute;COLE &eacute;t&eacute;', '&alpha;&beta;&Gamma;', '&NotNestedGreaterGreater;', '&thinsp;&ensp;|',
    '&lt;&lt;&lt;', '&aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa;', '&amp\u00e9',
    '  Leading and trailing  ', 'tab\tnew\nline\r\ncr', 'x\x0b\x0c\x1c\x1d\x1e\x1fy', 'nb\u00a0sp\u2007fig\u202fnarrow',
    'ideo\u3000graphic\u2028line\u2029para\u0085nel', 'zero\u200bwidth', 'UPPER Case \u00c9T\u00c9',
    '\u0130stanbul', '\u039f\u0394\u039f\u03a3 \u03a3', 'Stra\u00dfe \u1e9e', '\ud83d\ude00 Emoji', '&#xA0;nbsp&#160;',
]
with open(os.path.join(here, 'text-cleanup-golden.jsonl'), 'w', encoding='ascii', newline='\n') as f:
    for t in cases:
        once = html.unescape(t)
        f.write(json.dumps({'text': t, 'once': once, 'twice': html.unescape(once), 'clean': clean(t)},
                           ensure_ascii=True) + '\n')
