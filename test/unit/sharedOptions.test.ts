/**
 * One place (`withSharedOptions`) adds Concurrency, Timeout and Pace to Account Limits to an
 * operation's Options from its declaration: no operation file lists them itself.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import type { INodeProperties } from 'n8n-workflow';

import { optionsCollection } from '../../nodes/CheckMobi/actions/common.descriptions';
import { withSharedOptions } from '../../nodes/CheckMobi/actions/sharedOptions';
import type { OperationDeclaration } from '../../nodes/CheckMobi/actions/types';

const ACTIONS = resolve(__dirname, '..', '..', 'nodes', 'CheckMobi', 'actions');
const declared = (options: Omit<OperationDeclaration['options'], 'defaultCountry'>): OperationDeclaration => ({
	sideEffect: 'none',
	pacing: null,
	options: { ...options, defaultCountry: false },
});
const own: INodeProperties = { displayName: 'Language', name: 'language', type: 'string', default: '' };
const names = (properties: INodeProperties[]) =>
	(properties.find((p) => p.name === 'options')!.options as INodeProperties[]).map((field) => field.name);

describe('withSharedOptions', () => {
	it('adds exactly the declared shared fields, sorted by name with the operation\'s own', () => {
		const number: INodeProperties = { displayName: 'Number', name: 'number', type: 'string', default: '' };
		const all = withSharedOptions(declared({ concurrency: true, timeout: true, paceToAccountLimits: true }), [number, optionsCollection([own])]);
		expect(all[0]).toBe(number);
		expect(names(all)).toEqual(['concurrency', 'language', 'paceToAccountLimits', 'timeout']);
		expect(names(withSharedOptions(declared({ concurrency: false, timeout: true, paceToAccountLimits: false }), [optionsCollection([])]))).toEqual(['timeout']);
		expect(names(withSharedOptions(declared({ concurrency: false, timeout: false, paceToAccountLimits: false }), [optionsCollection([own])]))).toEqual(['language']);
	});

	it('refuses an operation that declares shared options but has no Options collection', () => {
		expect(() => withSharedOptions(declared({ concurrency: true, timeout: false, paceToAccountLimits: false }), [own])).toThrow(
			'No Options collection to add Concurrency to',
		);
		expect(withSharedOptions(declared({ concurrency: false, timeout: false, paceToAccountLimits: false }), [own])).toEqual([own]);
	});

	it('no file under actions/ but the shared ones names the shared fields', () => {
		const files = (dir: string): string[] =>
			readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
		const listing = files(ACTIONS).filter(
			(file) => !/(common\.descriptions|sharedOptions|defaultCountry)\.ts$/.test(file) && /\b(concurrencyOption|timeoutOption|paceOption|defaultCountryOption)\b/.test(readFileSync(file, 'utf8')),
		);
		expect(listing).toEqual([]);
	});
});
