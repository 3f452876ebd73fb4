/**
 * The real-n8n harness: provisions a pinned n8n (and the Node.js 24 it needs) into the project's
 * git-ignored `.cache/`, and runs instances of it with this package loaded as a community package.
 * One file a job, in n8n/; scripts/README.md says which. (An index file beside the folder rather
 * than n8n/index.ts: a build/ left from before the split would otherwise shadow it with its n8n.js.)
 */
export { tail } from './n8n/common';
export { bcryptHash } from './n8n/environment';
export { nodeOutput, parseExecuteOutput, type N8nItem, type N8nRun, type N8nTaskData } from './n8n/executeOutput';
export type { BatchResult, BatchRun, ExecuteResult } from './n8n/commands';
export { N8nInstance, type N8nExecution } from './n8n/instance';
export * from './n8n/json';
export { installPackageInto } from './n8n/packageInstall';
export { findFreePort, isPortFree } from './n8n/ports';
export type { CliResult, N8nInstanceOptions, StartOptions } from './n8n/process';
export { provisionN8n, type ProvisionOptions } from './n8n/provision';
export { privateDir, writeSecretFile } from './n8n/secretFiles';
export { defaultRuntimeRoot, N8N_VERSION, NODE_VERSION, PACKAGE_NAME, projectRoot, type N8nRuntime } from './n8n/runtime';
