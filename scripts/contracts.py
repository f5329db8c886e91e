#!/usr/bin/env python3
"""List exported function declarations of library headers that have no
contract comment directly above them (STYLE.md: every exported function).
A declaration directly following another one (no blank line) shares that
group's comment; forward `struct x;` lines are skipped. Exit status 1 when
any is missing.

Usage: scripts/contracts.py [HEADER...]   (default: every header under src/)
`make check` runs it on every header."""
import glob, os, re, sys
files = sys.argv[1:] or sorted(glob.glob(os.path.join(os.path.dirname(__file__), '..', 'src', '**', '*.h'),
                                         recursive=True))
if not files:
    print("contracts.py: no header to check", file=sys.stderr)
    sys.exit(1)
proto_start = re.compile(r'^[A-Za-z_][\w \*]*?\b([a-z_][a-z0-9_]*)\s*\(')
bad = 0
for f in files:
    lines = open(f).read().split('\n')
    i = 0; depth = 0; in_comment = False
    prev_kind = 'blank'   # 'comment', 'decl_doc', 'decl_undoc', 'blank', 'other'
    while i < len(lines):
        l = lines[i]; s = l.strip()
        if in_comment:
            if '*/' in s: in_comment = False; prev_kind = 'comment'
            i += 1; continue
        if s.startswith('/*'):
            if '*/' not in s: in_comment = True
            else: prev_kind = 'comment'
            i += 1; continue
        if s.startswith('//'):
            prev_kind = 'comment'; i += 1; continue
        if s == '':
            prev_kind = 'blank'; i += 1; continue
        if re.match(r'^struct \w+;$', s):   # forward declaration: transparent
            i += 1; continue
        if depth == 0 and not s.startswith('#') and not s.startswith('typedef') \
           and proto_start.match(l):
            # gather declaration until ';' or '{'
            j = i; text = l
            while ';' not in text and '{' not in text and j + 1 < len(lines):
                j += 1; text += ' ' + lines[j].strip()
            m = proto_start.match(l)
            name = m.group(1)
            if ';' in text and '{' not in text.split(';')[0] and '(' in text:
                documented = prev_kind in ('comment', 'decl_doc')
                if not documented:
                    bad += 1
                    print(f"{f}:{i+1}: {name}")
                prev_kind = 'decl_doc' if documented else 'decl_undoc'
                # trailing comment on the same line counts for nothing
                i = j + 1; continue
        depth += l.count('{') - l.count('}')
        prev_kind = 'other'
        i += 1
print(f"{bad} undocumented in {len(files)} headers", file=sys.stderr)
sys.exit(1 if bad else 0)
