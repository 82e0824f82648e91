import { installAppRuntime } from '../runtime/app-runtime.js';

installAppRuntime();
