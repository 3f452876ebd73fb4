/**
 * The load runs (`npm run test:load`): a real n8n, regular and queue mode, thousands of requests.
 * Apart from `npm test` because they take minutes; one file at a time (they share the 2 cores).
 */
const base = require('../../jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
	...base,
	rootDir: '../..',
	roots: ['<rootDir>/test/load'],
	testMatch: ['**/*.load.ts'],
	maxWorkers: 1,
	testTimeout: 30 * 60_000,
};
