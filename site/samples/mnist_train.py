"""MNIST training with Chainer's Trainer on wgpy (the seed's sample): an MLP, Adam, a report
every `log_every` iterations sent to the page's live plot.  Needs numpy (from a Pyodide package
index) and the Chainer wheel; the data file mnist.npz as in mnist_demo.py."""
import numpy as np
import pythonIO
import chainer
import chainer.functions as F
import chainer.links as L
from chainer import training
from chainer.training import extensions

cfg = pythonIO.config
epochs = int(cfg.get("epochs", 1))
batch = int(cfg.get("batch", 100))
n_train = int(cfg.get("n_train", 6000))
d = np.load("mnist.npz")
xtr = (d["x_train"][:n_train].reshape(-1, 784) / 255.0).astype(np.float32)
xte = (d["x_test"][:1000].reshape(-1, 784) / 255.0).astype(np.float32)
train = chainer.datasets.TupleDataset(xtr, d["y_train"][:n_train].astype(np.int32))
test = chainer.datasets.TupleDataset(xte, d["y_test"][:1000].astype(np.int32))


class MLP(chainer.Chain):
    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(None, 100)
            self.l2 = L.Linear(None, 10)

    def __call__(self, x):
        return self.l2(F.relu(self.l1(x)))


model = L.Classifier(MLP())
model.to_gpu()
opt = chainer.optimizers.Adam()
opt.setup(model)
it = chainer.iterators.SerialIterator(train, batch)
updater = training.updaters.StandardUpdater(it, opt, device=0)
trainer = training.Trainer(updater, (epochs, "epoch"))
trainer.extend(extensions.Evaluator(chainer.iterators.SerialIterator(test, batch, repeat=False, shuffle=False), model, device=0),
               trigger=(10, "iteration"))
total = epochs * (n_train // batch)


@training.make_extension(trigger=(10, "iteration"), priority=-1)
def to_page(trainer):
    obs = trainer.observation
    row = {"iteration": trainer.updater.iteration, "loss": float(obs.get("main/loss", np.nan)),
           "accuracy": float(obs.get("validation/main/accuracy", np.nan))}
    pythonIO.emit("metrics", row)
    pythonIO.progress(trainer.updater.iteration / total, f"iteration {row['iteration']}")
    print(row)


trainer.extend(to_page)
trainer.run()
pythonIO.result = {"iterations": trainer.updater.iteration}
