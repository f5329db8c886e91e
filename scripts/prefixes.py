#!/usr/bin/env python3
"""Check that every exported name of a library header carries its module's
prefix: the header's base name (src/year/actuals.h exports actuals_*),
upper-case for macros, or the type named after the module itself. The
public header and the base of the public API (err, log, mem: chiso_*)
export chiso_ names. Exit status 1 and one line per offender otherwise.

Usage: scripts/prefixes.py   (checks every header under src/, cli aside)"""
import glob, os, re, sys

root = os.path.join(os.path.dirname(__file__), '..', 'src')
CHISO = {'chiso', 'err', 'log', 'mem'}
func = re.compile(r'^[A-Za-z_][\w \*]*?\b([A-Za-z_]\w*)\s*\(', re.M)
typedef_end = re.compile(r'^\}\s*(\w+)\s*;', re.M)
typedef_line = re.compile(r'^typedef\s[^;{]*?\(\s*\*\s*(\w+)\s*\)|^typedef\s+(?:struct|enum|union)?\s*[\w ]*?\b(\w+)\s*;', re.M)
macro = re.compile(r'^#define\s+(\w+)', re.M)
bad = 0
headers = [h for h in glob.glob(os.path.join(root, '**', '*.h'), recursive=True)
           if os.sep + 'cli' + os.sep not in h]
for h in sorted(headers):
    base = os.path.splitext(os.path.basename(h))[0]
    text = open(h).read()
    body = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
    guard = 'CHISO_%s_H' % base.upper()
    names = []
    for m in func.finditer(body):
        line = body[body.rfind('\n', 0, m.start()) + 1:m.end()]
        if line.lstrip().startswith(('#', 'return', 'typedef')) or line.startswith(' '):
            continue
        names.append(('function', m.group(1)))
    names += [('type', n) for n in typedef_end.findall(body)]
    names += [('type', a or b) for a, b in typedef_line.findall(body)]
    names += [('macro', n) for n in macro.findall(body) if n != guard]
    for kind, n in names:
        if base in CHISO:
            ok = n.lower().startswith('chiso_') or n == 'chiso_err'
        else:
            ok = n == base or n.lower().startswith(base.lower() + '_')
        if not ok:
            bad += 1
            print('%s: %s %s does not carry the prefix %s_' % (os.path.relpath(h), kind, n,
                                                               'chiso' if base in CHISO else base))
print('%d names without their module prefix in %d headers' % (bad, len(headers)), file=sys.stderr)
sys.exit(1 if bad else 0)
