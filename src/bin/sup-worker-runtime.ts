import { installWorkerRuntime } from '../runtime/worker-runtime.js';

installWorkerRuntime();
