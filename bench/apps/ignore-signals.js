// Ignores SIGINT and SIGTERM and runs until SIGKILLed: a supervisor's stop then takes its whole kill_timeout.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
setInterval(() => {}, 1 << 30);
