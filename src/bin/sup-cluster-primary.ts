import { runClusterPrimary } from '../runtime/cluster-primary.js';

runClusterPrimary();
