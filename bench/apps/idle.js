// Runs until stopped, doing nothing: the app the daemon supervises while its CLI and memory are measured.
setInterval(() => {}, 1 << 30);
