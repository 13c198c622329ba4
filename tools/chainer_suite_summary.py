"""Counts of a Chainer suite run from its junit files, checked against the known failures.

    python3 tools/chainer_suite_summary.py --known tools/chainer_known_failures.txt a.xml [b.xml ...]

Prints passed / failed / skipped (and the pass rate of the tests that ran), the failures per file,
and exits 1 if a test failed that tools/chainer_known_failures.txt does not list (each line there
is a node id, or a file path whose every test may fail, then `#` and the reason) or if a listed
node id passed (so the list shrinks as fixes land)."""

import argparse
import collections
import sys
import xml.etree.ElementTree as ET


def _node_id(case):
    # junit: classname "tests.chainer_tests.x.test_y.TestZ_param_3", name "test_forward_gpu"
    cls = case.get('classname', '')
    parts = cls.split('.')
    for i in range(len(parts), 0, -1):
        if parts[i - 1].startswith('test_'):
            path = '/'.join(parts[:i]) + '.py'
            rest = '::'.join(parts[i:] + [case.get('name', '')])
            return path + '::' + rest
    return cls + '::' + case.get('name', '')


def _outcomes(files):
    out = {}
    for f in files:
        for case in ET.parse(f).getroot().iter('testcase'):
            kids = {c.tag for c in case}
            if 'failure' in kids or 'error' in kids:
                o = 'failed'
            elif 'skipped' in kids:
                o = 'skipped'
            else:
                o = 'passed'
            out[_node_id(case)] = o
    return out


def _known(path):
    ids, files = {}, {}
    for line in open(path):
        entry, _, why = line.partition('#')
        entry = entry.strip()
        if entry:
            (ids if '::' in entry else files)[entry] = why.strip()
    return ids, files


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--known', required=True)
    ap.add_argument('--label', default='GPU-marked suite (sample)')
    ap.add_argument('junit', nargs='+')
    a = ap.parse_args()
    res = _outcomes(a.junit)
    ids, files = _known(a.known)
    count = collections.Counter(res.values())
    ran = count['passed'] + count['failed']
    print('Chainer %s: %d passed, %d failed, %d skipped — %.1f%% of the tests that ran passed'
          % (a.label, count['passed'], count['failed'], count['skipped'], 100.0 * count['passed'] / max(ran, 1)))
    per_file = collections.Counter(n.split('::')[0] for n, o in res.items() if o == 'failed')
    for f, n in per_file.most_common():
        print('  %4d failed  %s  %s' % (n, f, files.get(f, '')))
    unexpected = [n for n, o in res.items()
                  if o == 'failed' and n not in ids and n.split('::')[0] not in files]
    fixed = [n for n in ids if res.get(n) == 'passed']
    for n in unexpected:
        print('UNEXPECTED FAILURE', n)
    for n in fixed:
        print('LISTED AS FAILING BUT PASSED (remove it from %s): %s' % (a.known, n))
    return 1 if unexpected or fixed else 0


if __name__ == '__main__':
    sys.exit(main())
