// A classic worker made a wgpy worker by importScripts (the seed's loading model; dist/wgpy-worker.js).
// site/classic-worker.html starts it with wgpy.start({ workerURL: 'classic-worker.js', workerType: 'classic' }).
importScripts('wgpy-worker.js');
