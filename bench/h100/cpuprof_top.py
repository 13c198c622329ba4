"""Self time per JavaScript function in a V8 .cpuprofile (node --cpu-prof), largest first.
    python3 bench/h100/cpuprof_top.py FILE.cpuprofile [N]"""
import collections
import json
import sys


def main():
    p = json.load(open(sys.argv[1]))
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    nodes = {n['id']: n for n in p['nodes']}
    self_t = collections.Counter()
    for s, d in zip(p['samples'], p['timeDeltas']):
        cf = nodes[s]['callFrame']
        self_t['%s %s:%d' % (cf['functionName'] or '(anonymous)', cf['url'].split('/')[-1],
                             cf['lineNumber'])] += d
    tot = sum(self_t.values())
    for k, v in self_t.most_common(top):
        print('%6.1f%% %9.1f ms  %s' % (100 * v / tot, v / 1e3, k))


if __name__ == '__main__':
    main()
